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
  /** Copy its `sessions`, `gates`, `session_files` and `merged_shards` rows too (imported as it is). */
  readonly asIs: boolean
}

/**
 * Copies the sessions' runs and every table keyed by run (or, for tables other than strikes' own, by
 * session) — one `INSERT … SELECT … UNION ALL …` per table over all the copies, so DuckDB scans the
 * shards in parallel — then, for sessions imported as they are, their session-level rows.
 */
export async function copySessions(
  database: Database,
  tables: TableColumns,
  copies: readonly SessionCopy[],
): Promise<void> {
  if (copies.length === 0) return
  const runsOverrides = (copy: SessionCopy): Map<string, string> => {
    const overrides = new Map<string, string>([['session_id', '?']])
    if (copy.shardIndex !== undefined) overrides.set('shard_index', String(copy.shardIndex))
    return overrides
  }
  await insertUnion(
    database,
    tables,
    'runs',
    copies.map((copy) => ({
      copy,
      overrides: runsOverrides(copy),
      where: 'WHERE s.session_id = ?',
      params: [copy.targetSessionId, copy.sourceSessionId],
    })),
  )
  for (const [table, columns] of tables) {
    if (MERGE_OWNED.has(table)) continue
    const bySession = columns.includes('session_id')
    if (!bySession && !columns.includes('run_id')) continue
    await insertUnion(
      database,
      tables,
      table,
      copies.map((copy) => ({
        copy,
        overrides: bySession ? new Map([['session_id', '?']]) : new Map<string, string>(),
        where: bySession
          ? 'WHERE s.session_id = ?'
          : `WHERE s.run_id IN (SELECT run_id FROM ${copy.shard.alias}.main.runs WHERE session_id = ?)`,
        params: bySession ? [copy.targetSessionId, copy.sourceSessionId] : [copy.sourceSessionId],
      })),
    )
  }
  for (const copy of copies) {
    if (!copy.asIs) continue
    for (const table of ['sessions', 'gates', 'session_files', 'merged_shards']) {
      // A session imported as it is takes the next `seq` of the target (the order latest and previous
      // follow), never the shard's own.
      const overrides =
        table === 'sessions'
          ? new Map([['seq', '(SELECT coalesce(max(seq), 0) + 1 FROM main.sessions)']])
          : new Map<string, string>()
      await insertUnion(database, tables, table, [
        { copy, overrides, where: 'WHERE s.session_id = ?', params: [copy.sourceSessionId] },
      ])
    }
  }
}

/** One branch of an {@link insertUnion}: a copy's rows of the table. */
interface Branch {
  readonly copy: SessionCopy
  readonly overrides: ReadonlyMap<string, string>
  readonly where: string
  readonly params: (string | number)[]
}

/**
 * `INSERT INTO main.<table> (<target columns>) SELECT <matching shard columns, NULL, or overrides> FROM
 * <alias>.main.<table> s <where> UNION ALL …`, one branch per copy whose shard has the table; each
 * branch's `params` bind its overrides' `?` first, then its where clause's.
 */
async function insertUnion(
  database: Database,
  tables: TableColumns,
  table: string,
  branches: readonly Branch[],
): Promise<void> {
  const columns = tables.get(table)
  if (columns === undefined) return
  const parts: string[] = []
  const params: (string | number)[] = []
  for (const { copy, overrides, where, params: own } of branches) {
    const { alias, source } = copy.shard
    const present = source.columns.get(table)
    if (present === undefined) continue
    const select = columns.map(
      (column) => overrides.get(column) ?? (present.includes(column) ? `s.${quote(column)}` : 'NULL'),
    )
    parts.push(`SELECT ${select.join(', ')} FROM ${alias}.main.${quote(table)} s ${where}`)
    params.push(...own)
  }
  if (parts.length === 0) return
  await database.run(
    `INSERT INTO main.${quote(table)} (${columns.map(quote).join(', ')}) ${parts.join(' UNION ALL ')}`,
    params,
  )
}

/** A SQL identifier, quoted. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
