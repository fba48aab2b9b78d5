/**
 * Bulk ingest of spool folders into DuckDB: a run's records file is read by DuckDB's own `read_json`
 * once and split into the tables with `INSERT … SELECT` (never one INSERT per record), in one
 * transaction, then the folder is removed. A run already in the database is not ingested twice. Text
 * DuckDB refuses (a lone UTF-16 surrogate, invalid UTF-8) is repaired and the run ingested again, rather
 * than left out. Values and metric points of tasks that never ended (their worker died) are left out, so
 * every row points at a stored span; and the lines read are counted against what the worker wrote.
 */
import { realpathSync, statSync } from 'node:fs'
import type { RunStatus } from '../../src/shared/spool/format.js'
import { recordsFile, removeFolder, type SpoolRun } from '../../src/shared/spool/reader.js'
import { repairSpoolFile, wellFormedJsonText } from '../../src/shared/spool/text-repair.js'
import type { Database } from './database.js'
import { isOutOfMemory } from './memory-fallback.js'
import {
  INGEST_TABLE,
  insertStatements,
  isRecordTooLarge,
  LINES_STATEMENT,
  ORPHANS_STATEMENT,
  readRecordsStatement,
  type SpoolTable,
  STREAMED_RECORD_BYTES,
} from './spool-tables.js'

/**
 * Rows written per table by one ingest; how many spool lines had to be repaired first; the lines the
 * records file held (`lines`) against the count the worker wrote (`expectedLines`, -1 when the run never
 * ended); and the values and metric points left out because their task never ended (`orphanValues`,
 * `orphanPoints`).
 */
export type IngestCounts = Record<
  SpoolTable | 'runs' | 'repairedLines' | 'lines' | 'expectedLines' | 'orphanValues' | 'orphanPoints',
  number
>

/** What the reporter knows about a run beyond its spool. */
export interface RunOutcome {
  readonly status: RunStatus
  /** Errors outside the run's tests (default: the text its end event carries). */
  readonly error?: string | undefined
  /** When the run ended; default: its end event, else now. */
  readonly endedAt?: Date
}

/** True when the run is already in the database. */
async function runExists(database: Database, runId: string): Promise<boolean> {
  const rows = await database.query('SELECT 1 FROM runs WHERE run_id = ?', [runId])
  return rows.length > 0
}

/** DuckDB's complaint about text it cannot decode (lone surrogates, invalid UTF-8). */
function isMalformedText(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /surrogate|invalid UTF-8|invalid unicode/i.test(message)
}

/**
 * Ingests one run folder in a transaction and removes the folder after the commit. Returns the rows
 * written per table (all zero when the run was already ingested). When DuckDB refuses the text of a
 * spool file, the files are repaired (see `repairSpoolFile`) and the run is ingested again.
 */
export async function ingestRun(
  database: Database,
  run: SpoolRun,
  outcome: RunOutcome,
): Promise<IngestCounts> {
  if (await runExists(database, run.runId)) {
    removeFolder(run.dir)
    return emptyCounts()
  }
  let counts: IngestCounts
  try {
    counts = await writeRun(database, run, outcome)
  } catch (error) {
    if (!isMalformedText(error)) throw error
    const file = recordsFile(run)
    const repaired = file === undefined ? 0 : repairSpoolFile(file)
    if (repaired === 0) throw error
    counts = await writeRun(database, run, outcome)
    counts.repairedLines = repaired
  }
  removeFolder(run.dir)
  return counts
}

/** Counts of nothing written yet (`expectedLines` -1: no worker count known). */
export function emptyCounts(): IngestCounts {
  return {
    runs: 0,
    spans: 0,
    metrics: 0,
    run_metrics: 0,
    objects: 0,
    task_io: 0,
    repairedLines: 0,
    lines: 0,
    expectedLines: -1,
    orphanValues: 0,
    orphanPoints: 0,
  }
}

/** How {@link RUNS_INSERT} reads each run of its JSON parameter (timestamps in microseconds). */
const RUN_ROW_TYPE = JSON.stringify([
  {
    run_id: 'VARCHAR',
    session_id: 'VARCHAR',
    project: 'VARCHAR',
    name: 'VARCHAR',
    file: 'VARCHAR',
    status: 'VARCHAR',
    started: 'DOUBLE',
    ended: 'DOUBLE',
    duration_ms: 'DOUBLE',
    params: 'VARCHAR',
    tags: 'VARCHAR',
    error: 'VARCHAR',
  },
])

/**
 * Inserts the runs of its one parameter, {@link runRowsJson}'s text: one statement and one bound value
 * whatever the number of runs (binding a dozen values per run cost more than the rest of the statement).
 */
export const RUNS_INSERT = `INSERT INTO runs
    (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms, params, tags, error)
  SELECT run_id, session_id, project, name, file, status, make_timestamp(started::BIGINT),
    make_timestamp(ended::BIGINT), duration_ms, params::JSON, tags::JSON::VARCHAR[], error
  FROM (SELECT unnest(from_json(?::JSON, '${RUN_ROW_TYPE}'), recursive := true))`

/** The rows of runs, from their spools with what the reporter knows of their outcomes, for {@link RUNS_INSERT}. */
export function runRowsJson(
  runs: ReadonlyArray<{ readonly run: SpoolRun; readonly outcome: RunOutcome }>,
): string {
  const rows = runs.map(({ run, outcome }) => {
    const startedMicros = run.start.started_at
    const endedMicros =
      outcome.endedAt !== undefined
        ? outcome.endedAt.getTime() * 1000
        : (run.end?.ended_at ?? Date.now() * 1000)
    return {
      run_id: run.runId,
      session_id: run.start.session_id,
      project: run.start.project,
      name: run.start.name,
      file: run.start.file,
      status: outcome.status,
      started: startedMicros,
      ended: endedMicros,
      duration_ms: Math.max(0, (endedMicros - startedMicros) / 1000),
      // Nested JSON texts: their escapes are made well-formed before the rows' text escapes them again.
      params: wellFormedJsonText(JSON.stringify(run.params)),
      tags: wellFormedJsonText(JSON.stringify(run.tags)),
      error: outcome.error ?? run.end?.error ?? null,
    }
  })
  // Text DuckDB cannot store (a lone surrogate in a name, params or an error) becomes U+FFFD.
  return wellFormedJsonText(JSON.stringify(rows))
}

/**
 * Records files larger than this are ingested with bounded memory (on a connection opened with
 * `lockConfiguration: false`, as the ingest queue's is): DuckDB's memory limit is lowered for
 * the run (its temporary table spills to disk rather than growing the process) and insertion order is
 * not preserved (no table depends on it), so the main process's memory does not grow with the run's rows.
 */
export const STREAM_FILE_BYTES = 16 * 2 ** 20

/** The DuckDB memory limit while a large run is ingested. */
const STREAM_MEMORY_LIMIT = '160MB'

/** Writes the run's row and its records in one transaction (a large run with bounded memory). */
async function writeRun(database: Database, run: SpoolRun, outcome: RunOutcome): Promise<IngestCounts> {
  const file = recordsFile(run)
  // Lowering the limit needs an unlocked configuration (the reporter's ingest connection); on a locked
  // one the run is ingested with the connection's own limit.
  const large = !database.configurationLocked && file !== undefined && statSync(file).size > STREAM_FILE_BYTES
  if (!large) return writeRunRecords(database, run, outcome, file, undefined)
  // `RESET memory_limit` updates the setting but not the buffer pool's limit: restore the value itself.
  const [previous] = await database.query<{ limit: string; order: boolean }>(
    "SELECT current_setting('memory_limit') AS limit, current_setting('preserve_insertion_order') AS order",
  )
  const restore = async (): Promise<void> => {
    if (previous === undefined) return
    await database.run(`SET memory_limit = '${previous.limit.replaceAll("'", '')}'`)
  }
  await database.run(`SET memory_limit = '${STREAM_MEMORY_LIMIT}'`)
  await database.run('SET preserve_insertion_order = false')
  try {
    try {
      return await writeRunRecords(database, run, outcome, file, STREAMED_RECORD_BYTES)
    } catch (error) {
      if (!isRecordTooLarge(error) && !isOutOfMemory(error)) throw error
      // A record longer than the streamed read size, or records too large to stream within the lowered
      // limit: read again without it (and with buffers that fit any record) rather than lose the run.
      await restore()
      return await writeRunRecords(database, run, outcome, file, undefined)
    }
  } finally {
    await restore()
    await database.run(`SET preserve_insertion_order = ${previous?.order === false ? 'false' : 'true'}`)
  }
}

async function writeRunRecords(
  database: Database,
  run: SpoolRun,
  outcome: RunOutcome,
  file: string | undefined,
  maxRecordBytes: number | undefined,
): Promise<IngestCounts> {
  const counts = emptyCounts()
  await database.transaction(async () => {
    await database.run(RUNS_INSERT, [runRowsJson([{ run, outcome }])])
    counts.runs = 1
    counts.expectedLines = run.end?.records ?? -1
    if (file === undefined) return
    // DuckDB reads only inside the spool folder it was allowed, by its real path.
    await database.run(readRecordsStatement(realpathSync(file), maxRecordBytes))
    const [read] = await database.query<{ lines: bigint }>(LINES_STATEMENT)
    counts.lines = Number(read?.lines ?? 0)
    const [orphans] = await database.query<{ orphan_values: bigint; orphan_points: bigint }>(
      ORPHANS_STATEMENT,
    )
    counts.orphanValues = Number(orphans?.orphan_values ?? 0)
    counts.orphanPoints = Number(orphans?.orphan_points ?? 0)
    for (const [table, statement] of insertStatements(run.runId)) {
      const result = await database.connection.run(statement)
      counts[table] += Number(result.rowsChanged)
    }
    await database.run(`DROP TABLE IF EXISTS ${INGEST_TABLE}`)
  })
  return counts
}
