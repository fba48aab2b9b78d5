/**
 * `strikes export --parquet <dir>`: a Parquet lake that many machines append to. Each table is a folder,
 * hive-partitioned by session: `<dir>/<table>/session=<id>/part-0.parquet`. A session already in the lake
 * is left as it is (never rewritten), so exports from many machines and months add up; a session's files
 * are written to a temporary folder and renamed into place, the `sessions` partition last, so a reader
 * never sees a session without its rows. DuckDB reads the lake with
 * `read_parquet('<dir>/<table>/*\/*.parquet', hive_partitioning = true)` — and `strikes query --lake <dir>`
 * gives it strikes' views.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Database } from '../store/database.js'

/** What an export wrote. */
export interface LakeExport {
  /** Sessions written now. */
  readonly written: readonly string[]
  /** Sessions the lake held already (left as they were). */
  readonly present: readonly string[]
  /** Sessions whose id cannot name a folder (left out, with a note). */
  readonly unsafe: readonly string[]
  /** Still running (left out until they end). */
  readonly running: readonly string[]
}

/** Tables never exported: strikes' own bookkeeping. */
const INTERNAL = new Set(['strikes_schema'])

/** Session ids that name a folder safely on every file system and object store. */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/

/** The partition folder of a session in a table's folder. */
export function partitionOf(dir: string, table: string, sessionId: string): string {
  return join(dir, table, `session=${sessionId}`)
}

/** Exports every ended session of the database not yet in the lake at `dir`. */
export async function exportLake(database: Database, dir: string): Promise<LakeExport> {
  const tables = await exportedTables(database)
  const sessions = await database.query<{ session_id: string; status: string | null }>(
    'SELECT session_id, status FROM sessions ORDER BY started_at, session_id',
  )
  const written: string[] = []
  const present: string[] = []
  const unsafe: string[] = []
  const running: string[] = []
  mkdirSync(dir, { recursive: true })
  for (const { session_id: sessionId, status } of sessions) {
    if (!SAFE_ID.test(sessionId)) {
      unsafe.push(sessionId)
      continue
    }
    if (status === 'running') {
      running.push(sessionId)
      continue
    }
    if (existsSync(partitionOf(dir, 'sessions', sessionId))) {
      present.push(sessionId)
      continue
    }
    // `sessions` last: a reader that sees the session sees its rows.
    const ordered = [
      ...tables.filter((table) => table.name !== 'sessions'),
      ...tables.filter((table) => table.name === 'sessions'),
    ]
    for (const table of ordered) await writePartition(database, dir, table, sessionId)
    written.push(sessionId)
  }
  return { written, present, unsafe, running }
}

interface ExportedTable {
  readonly name: string
  /** How the table's rows of one session are found. */
  readonly scope: 'session' | 'run'
}

/** Base tables keyed by session or run (strikes' bookkeeping left out). */
async function exportedTables(database: Database): Promise<ExportedTable[]> {
  const rows = await database.query<{ table_name: string; has_session: boolean; has_run: boolean }>(
    `SELECT t.table_name,
       bool_or(c.column_name = 'session_id') AS has_session, bool_or(c.column_name = 'run_id') AS has_run
     FROM duckdb_tables() t JOIN duckdb_columns() c USING (database_name, schema_name, table_name)
     WHERE t.database_name = current_database() AND t.schema_name = 'main' AND NOT t.temporary
     GROUP BY t.table_name ORDER BY t.table_name`,
  )
  return rows
    .filter((row) => !INTERNAL.has(row.table_name) && (row.has_session || row.has_run))
    .map((row) => ({ name: row.table_name, scope: row.has_session ? 'session' : 'run' }))
}

/** Writes one table's rows of one session as `<table>/session=<id>/part-0.parquet` (renamed into place). */
async function writePartition(
  database: Database,
  dir: string,
  table: ExportedTable,
  sessionId: string,
): Promise<void> {
  const final = partitionOf(dir, table.name, sessionId)
  if (existsSync(final)) return
  // Staged outside the table's folder, so readers globbing `<table>/*/*.parquet` never see a partial file.
  const staging = join(dir, '.staging', `${table.name}-${sessionId}-${process.pid}`)
  rmSync(staging, { recursive: true, force: true })
  mkdirSync(staging, { recursive: true })
  mkdirSync(join(dir, table.name), { recursive: true })
  const where =
    table.scope === 'session'
      ? 'session_id = ?'
      : 'run_id IN (SELECT run_id FROM main.runs WHERE session_id = ?)'
  const file = join(staging, 'part-0.parquet')
  try {
    await database.run(
      `COPY (SELECT * FROM main."${table.name}" WHERE ${where}) ` +
        `TO '${file.replaceAll("'", "''")}' (FORMAT PARQUET, COMPRESSION ZSTD)`,
      [sessionId],
    )
    renameSync(staging, final)
    removeIfEmpty(join(dir, '.staging'))
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    // Another machine wrote the partition meanwhile: the lake holds it.
    if (existsSync(final) && readdirSync(final).length > 0) return
    throw error
  }
}

/** Removes a folder when it is empty (another export may be staging in it). */
function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder)
  } catch {
    // not empty, or gone
  }
}
