/**
 * Copying one session's rows from an attached shard database into the target, table by table, in bulk
 * (`INSERT … SELECT`, no row crosses into JavaScript). Columns are matched by name: a column the shard's
 * older schema lacks is NULL. Only base tables the inspection found are read, by their qualified name, so
 * nothing the shard file defines (views, macros) runs.
 */
import type { Database } from '../store/database.js'
import type { ShardSource } from './shard-source.js'

/** The target's base tables and their columns. */
export type TableColumns = ReadonlyMap<string, readonly string[]>

/** Tables handled by the merge itself rather than copied row for row. */
const MERGE_OWNED = new Set(['sessions', 'strikes_schema', 'merged_shards', 'session_files', 'gates', 'runs'])

/** Reads the target's base tables and their columns. */
export async function targetTables(database: Database): Promise<Map<string, string[]>> {
  const rows = await database.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM duckdb_columns() c
     JOIN duckdb_tables() t ON t.database_name = c.database_name AND t.schema_name = c.schema_name
       AND t.table_name = c.table_name
     WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT t.temporary
     ORDER BY c.table_name, c.column_index`,
  )
  const tables = new Map<string, string[]>()
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name])
  return tables
}

/** A shard attached to the target's connection under `alias`. */
export interface AttachedShard {
  readonly alias: string
  readonly source: ShardSource
}

/** How one session is copied. */
export interface SessionCopy {
  readonly shard: AttachedShard
  readonly sourceSessionId: string
  /** The session id its rows get in the target. */
  readonly targetSessionId: string
  /** The shard index its runs keep (`undefined`: as the shard stored it). */
  readonly shardIndex?: number
  /** Copy its `sessions`, `gates`, `session_files` and `merged_shards` rows too (a session imported as it is). */
  readonly asIs: boolean
}

/** Copies the session's runs and every table keyed by run, then (as-is imports) its session-level rows. */
export async function copySession(
  database: Database,
  tables: TableColumns,
  copy: SessionCopy,
): Promise<void> {
  const { alias, source } = copy.shard
  const overrides = new Map<string, string>([['session_id', '?']])
  if (copy.shardIndex !== undefined) overrides.set('shard_index', String(copy.shardIndex))
  await insertFrom(database, tables, source, alias, 'runs', overrides, 'WHERE s.session_id = ?', [
    copy.targetSessionId,
    copy.sourceSessionId,
  ])
  const runsOf = `WHERE s.run_id IN (SELECT run_id FROM ${alias}.main.runs WHERE session_id = ?)`
  for (const [table, columns] of tables) {
    if (MERGE_OWNED.has(table) || !source.columns.has(table)) continue
    if (columns.includes('session_id')) {
      await insertFrom(
        database,
        tables,
        source,
        alias,
        table,
        new Map([['session_id', '?']]),
        'WHERE s.session_id = ?',
        [copy.targetSessionId, copy.sourceSessionId],
      )
    } else if (columns.includes('run_id')) {
      await insertFrom(database, tables, source, alias, table, new Map(), runsOf, [copy.sourceSessionId])
    }
  }
  if (!copy.asIs) return
  for (const table of ['sessions', 'gates', 'session_files', 'merged_shards']) {
    if (!source.columns.has(table) || !tables.has(table)) continue
    await insertFrom(database, tables, source, alias, table, new Map(), 'WHERE s.session_id = ?', [
      copy.sourceSessionId,
    ])
  }
}

/**
 * `INSERT INTO main.<table> (<target columns>) SELECT <matching shard columns, NULL, or overrides> FROM
 * <alias>.main.<table> s <where>`; `params` bind the overrides' `?` first, then the where clause's.
 */
async function insertFrom(
  database: Database,
  tables: TableColumns,
  source: ShardSource,
  alias: string,
  table: string,
  overrides: ReadonlyMap<string, string>,
  where: string,
  params: (string | number)[],
): Promise<void> {
  const columns = tables.get(table) ?? []
  const present = new Set(source.columns.get(table) ?? [])
  const select = columns.map(
    (column) => overrides.get(column) ?? (present.has(column) ? `s.${quote(column)}` : 'NULL'),
  )
  await database.run(
    `INSERT INTO main.${quote(table)} (${columns.map(quote).join(', ')})
     SELECT ${select.join(', ')} FROM ${alias}.main.${quote(table)} s ${where}`,
    params,
  )
}

/** A SQL identifier, quoted. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
