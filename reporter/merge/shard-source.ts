/**
 * One database given to `strikes merge`, inspected before anything is written: a regular file that is
 * DuckDB, opened read-only through `openDatabase` (never modified), made by strikes (its `strikes_schema`),
 * of a schema this strikes knows (newer refused; older read column by column, missing columns NULL), whose
 * tables are base tables (a view or macro the file defines is never called). Yields its sessions, with
 * their shard and group, and a fingerprint of each session's data.
 */
import { lstatSync, realpathSync } from 'node:fs'
import {
  type Database,
  looksLikeDuckDB,
  NewerSchemaError,
  NotStrikesDatabaseError,
  openDatabase,
  UntrustedDatabaseError,
} from '../store/database.js'
import { SCHEMA_VERSION } from '../store/schema.js'
import { baseTables } from './base-tables.js'

/** A session found in a shard database. */
export interface SourceSession {
  readonly sessionId: string
  /** The shard (1-based) and count; `undefined` for a session that was not a shard. */
  readonly shard: { readonly index: number; readonly count: number } | undefined
  /** The group its shards share; `undefined` when not a shard (imported as it is). */
  readonly group: string | undefined
  /** The session is itself a merge of shards (it is imported as it is). */
  readonly merged: boolean
  readonly startedAt: string | null
  readonly endedAt: string | null
  readonly status: string | null
  readonly gitSha: string | null
  readonly gateConfig: string | null
  readonly selection: string | null
  /** What the session holds, in short: merging a session with the same fingerprint again adds nothing. */
  readonly fingerprint: string
  readonly runs: number
  readonly tasks: number
}

/** A database to merge, as inspected. */
export interface ShardSource {
  /** The path given. */
  readonly path: string
  /** Its real path (to refuse the target given as a source, and the same file twice). */
  readonly realPath: string
  readonly schemaVersion: number
  /** The columns of each base table. */
  readonly columns: ReadonlyMap<string, readonly string[]>
  readonly sessions: readonly SourceSession[]
}

/** A database given to `strikes merge` cannot be merged; nothing was written. */
export class MergeInputError extends Error {
  override name = 'MergeInputError'
}

/** Tables every strikes database has had since schema version 1. */
const REQUIRED_TABLES = ['sessions', 'runs', 'spans', 'metrics', 'run_metrics', 'objects', 'task_io']

/** Inspects the database at `path` (read-only); throws a {@link MergeInputError} saying what is wrong. */
export async function inspectShard(path: string): Promise<ShardSource> {
  const fail = (what: string): never => {
    throw new MergeInputError(`strikes: ${path} ${what}; nothing was merged`)
  }
  let stats: ReturnType<typeof lstatSync>
  try {
    stats = lstatSync(path)
  } catch {
    return fail('does not exist')
  }
  const realPath = realpathSync(path)
  const target = stats.isSymbolicLink() ? lstatSync(realPath) : stats
  if (!target.isFile()) fail('is not a file')
  if (target.size === 0) fail('is an empty file, not a DuckDB database (a half-written shard?)')
  if (!looksLikeDuckDB(realPath)) fail('is not a DuckDB database')
  let database: Database
  try {
    database = await openDatabase(realPath, { readOnly: true, lockTimeoutMs: 10_000 })
  } catch (error) {
    // The trust rule's refusals say what is wrong themselves (a newer schema, objects strikes did not
    // create).
    if (error instanceof NotStrikesDatabaseError)
      fail('is a DuckDB database of another application (no strikes_schema table)')
    if (error instanceof NewerSchemaError || error instanceof UntrustedDatabaseError)
      throw new MergeInputError(`${error.message.replace(/\.$/, '')}; nothing was merged`)
    return fail(`cannot be opened (${firstLine(error)})`)
  }
  try {
    const tables = await baseTables(database)
    if (!tables.has('strikes_schema'))
      fail('is a DuckDB database of another application (no strikes_schema table)')
    const [row] = await database.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM main.strikes_schema',
    )
    const schemaVersion = Number(row?.version ?? 0)
    if (schemaVersion > SCHEMA_VERSION) {
      fail(
        `has schema version ${schemaVersion}, newer than this strikes (${SCHEMA_VERSION}); upgrade strikes`,
      )
    }
    const missing = REQUIRED_TABLES.filter((table) => !tables.has(table))
    if (missing.length > 0) fail(`is not a complete strikes database (no table ${missing.join(', ')})`)
    const sessions = await readSessions(database, tables)
    return { path, realPath, schemaVersion, columns: tables, sessions }
  } catch (error) {
    if (error instanceof MergeInputError) throw error
    return fail(`cannot be read (${firstLine(error)}; a half-written or damaged file?)`)
  } finally {
    database.close()
  }
}

interface SessionRowRead {
  session_id: string
  started_at: string | null
  ended_at: string | null
  status: string | null
  git_sha: string | null
  gate_config: string | null
  selection: string | null
  shard_index: number | null
  shard_count: number | null
  session_group: string | null
  runs: bigint | number
  tasks: bigint | number
  metrics: bigint | number
}

/** Every session of the file, with its shard and group (from `selection` in files older than schema 8). */
async function readSessions(database: Database, tables: Map<string, string[]>): Promise<SourceSession[]> {
  const columns = new Set(tables.get('sessions') ?? [])
  const column = (name: string, cast = ''): string =>
    columns.has(name) ? `s.${name}${cast}` : `NULL${cast === '' ? '' : cast}`
  const rows = await database.query<SessionRowRead>(
    `SELECT s.session_id, s.started_at::VARCHAR AS started_at, s.ended_at::VARCHAR AS ended_at, s.status,
       s.git_sha, ${column('gate_config', '::VARCHAR')} AS gate_config,
       ${column('selection', '::VARCHAR')} AS selection, ${column('shard_index')} AS shard_index,
       ${column('shard_count')} AS shard_count, ${column('session_group')} AS session_group,
       (SELECT count(*) FROM main.runs r WHERE r.session_id = s.session_id) AS runs,
       (SELECT count(*) FROM main.spans p JOIN main.runs r USING (run_id)
         WHERE r.session_id = s.session_id AND p.kind = 'task') AS tasks,
       (SELECT count(*) FROM main.run_metrics m JOIN main.runs r USING (run_id)
         WHERE r.session_id = s.session_id) AS metrics
     FROM main.sessions s WHERE s.session_id IS NOT NULL ORDER BY s.started_at, s.session_id`,
  )
  return rows.map((row) => {
    const shard = shardOf(row)
    const group =
      row.session_group ??
      (shard !== undefined && row.git_sha !== null ? `git:${row.git_sha}/${shard.count}` : undefined)
    const merged = row.shard_index === null && row.shard_count !== null
    const runs = Number(row.runs)
    const tasks = Number(row.tasks)
    return {
      sessionId: row.session_id,
      shard: merged ? undefined : shard,
      group: merged || shard === undefined ? undefined : group,
      merged,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      status: row.status,
      gitSha: row.git_sha,
      gateConfig: row.gate_config,
      selection: row.selection,
      fingerprint: `${row.session_id}|${row.ended_at ?? ''}|${runs}|${tasks}|${Number(row.metrics)}`,
      runs,
      tasks,
    }
  })
}

/** The session's shard: its columns (schema 8), or `selection.shard` (schema 5 to 7). */
function shardOf(row: SessionRowRead): SourceSession['shard'] {
  if (row.shard_index !== null && row.shard_count !== null)
    return validShard(row.shard_index, row.shard_count)
  if (row.selection === null) return undefined
  try {
    const selection = JSON.parse(row.selection) as { shard?: { index?: unknown; count?: unknown } | null }
    const { index, count } = selection.shard ?? {}
    return typeof index === 'number' && typeof count === 'number' ? validShard(index, count) : undefined
  } catch {
    return undefined
  }
}

function validShard(index: number, count: number): SourceSession['shard'] {
  const i = Number(index)
  const n = Number(count)
  return Number.isInteger(i) && Number.isInteger(n) && n >= 1 && n <= 10_000 && i >= 1 && i <= n
    ? { index: i, count: n }
    : undefined
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return (message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error').replace(/^strikes: /, '')
}
