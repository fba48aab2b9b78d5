/**
 * Bulk ingest of spool folders into DuckDB: a run's records file is read by DuckDB's own `read_json`
 * once and split into the tables with `INSERT … SELECT` (never one INSERT per record), in one
 * transaction, then the folder is removed. A run already in the database is not ingested twice. Text DuckDB refuses (a lone UTF-16
 * surrogate, invalid UTF-8) is repaired and the run ingested again, rather than left out.
 */
import { RECORD_TAGS, type SpoolTable } from '../../src/record.js'
import type { Database } from './database.js'
import {
  recordsFile,
  removeFolder,
  repairSpoolFile,
  type SpoolRun,
  wellFormedJsonText,
} from './spool-reader.js'

/** Final status of a run. */
export type RunStatus = 'passed' | 'failed' | 'crashed' | 'skipped'

/** Rows written per table by one ingest, and how many spool lines had to be repaired first. */
export type IngestCounts = Record<SpoolTable | 'runs' | 'repairedLines', number>

/** Largest single JSON record `read_json` accepts (a stored object is at most `maxObjectBytes` plus its envelope). */
const MAX_RECORD_BYTES = 256 * 1024 * 1024

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

function readJson(file: string, columns: Record<string, string>): string {
  const spec = Object.entries(columns)
    .map(([name, type]) => `${name}: ${sqlString(type)}`)
    .join(', ')
  return `read_json(${sqlString(file)}, format = 'newline_delimited', maximum_object_size = ${MAX_RECORD_BYTES}, columns = {${spec}})`
}

/** Every column a record line may have (lines of one table leave the others absent, read as NULL). */
const RECORD_COLUMNS = {
  t: 'VARCHAR',
  span_id: 'VARCHAR',
  trace_id: 'VARCHAR',
  parent_id: 'VARCHAR',
  kind: 'VARCHAR',
  name: 'VARCHAR',
  label: 'VARCHAR',
  tags: 'VARCHAR[]',
  status: 'VARCHAR',
  error: 'VARCHAR',
  started_at: 'BIGINT',
  duration_ms: 'DOUBLE',
  attributes: 'JSON',
  value: 'DOUBLE',
  raw_value: 'DOUBLE',
  step: 'DOUBLE',
  ts: 'BIGINT',
  source: 'VARCHAR',
  seq: 'BIGINT',
  run_name: 'VARCHAR',
  run_value: 'DOUBLE',
  mode: 'VARCHAR',
  run_seq: 'BIGINT',
  direction: 'VARCHAR',
  hash: 'VARCHAR',
  object: 'JSON',
  size_bytes: 'BIGINT',
  truncated: 'BOOLEAN',
}

/**
 * The statements that ingest a run's records file: read once by `read_json` into a temporary table, then
 * split by table. Metric lines also carry mirrored run-level points, and input/output lines carry new
 * objects (see `src/record.ts`).
 */
function ingestStatements(file: string, runId: string): string[] {
  const run = sqlString(runId)
  const { spans, metrics, run_metrics, objects, task_io } = RECORD_TAGS
  return [
    `CREATE OR REPLACE TEMP TABLE strikes_ingest AS SELECT * FROM ${readJson(file, RECORD_COLUMNS)}`,
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
        duration_ms, attributes) SELECT span_id, trace_id, ${run}, parent_id, kind, name, label, tags, status, error,
        make_timestamp(started_at), duration_ms, attributes FROM strikes_ingest WHERE t = '${spans}'`,
    `INSERT INTO metrics (run_id, span_id, name, value, step, ts, source, attributes, seq) SELECT ${run}, span_id, name, value, step, make_timestamp(ts), source, attributes, seq
        FROM strikes_ingest WHERE t = '${metrics}'`,
    `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq) SELECT ${run}, span_id, name, value, raw_value, mode, step, make_timestamp(ts), seq FROM (
        SELECT span_id, run_name AS name, run_value AS value, value AS raw_value, mode, step, ts, run_seq AS seq
        FROM strikes_ingest WHERE t = '${metrics}' AND run_name IS NOT NULL
        UNION ALL
        SELECT span_id, name, value, raw_value, mode, step, ts, seq FROM strikes_ingest WHERE t = '${run_metrics}')`,
    `INSERT INTO task_io (run_id, span_id, direction, name, hash) SELECT ${run}, span_id, direction, name, hash FROM strikes_ingest WHERE t = '${task_io}'`,
    // One row per object and run: the worker skips large values it remembers, this catches the rest. A
    // JSON null is read as SQL NULL, and stored back as the JSON value null.
    `INSERT INTO objects (run_id, hash, value, size_bytes, truncated) SELECT ${run}, hash, coalesce(any_value(object), 'null'::JSON), any_value(size_bytes),
        any_value(truncated) FROM strikes_ingest
        WHERE t = '${objects}' OR (t = '${task_io}' AND size_bytes IS NOT NULL) GROUP BY hash`,
    'DROP TABLE IF EXISTS strikes_ingest',
  ]
}

/** What the reporter knows about a run beyond its spool. */
export interface RunOutcome {
  readonly status: RunStatus
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

function emptyCounts(): IngestCounts {
  return { runs: 0, spans: 0, metrics: 0, run_metrics: 0, objects: 0, task_io: 0, repairedLines: 0 }
}

/** Writes the run's row and its records in one transaction. */
async function writeRun(database: Database, run: SpoolRun, outcome: RunOutcome): Promise<IngestCounts> {
  const counts = emptyCounts()
  const startedMicros = run.start.started_at
  const endedMicros =
    outcome.endedAt !== undefined
      ? outcome.endedAt.getTime() * 1000
      : (run.end?.ended_at ?? Date.now() * 1000)
  await database.transaction(async () => {
    await database.run(
      `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms, params, tags)
       VALUES (?, ?, ?, ?, ?, ?, make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?, ?::JSON, ?::JSON::VARCHAR[])`,
      [
        run.runId,
        run.start.session_id,
        run.start.project,
        run.start.name,
        run.start.file,
        outcome.status,
        startedMicros,
        endedMicros,
        Math.max(0, (endedMicros - startedMicros) / 1000),
        wellFormedJsonText(JSON.stringify(run.params)),
        wellFormedJsonText(JSON.stringify(run.tags)),
      ],
    )
    counts.runs = 1
    const file = recordsFile(run)
    if (file === undefined) return
    for (const statement of ingestStatements(file, run.runId)) {
      const result = await database.connection.run(statement)
      const table = /^INSERT INTO (\w+)/.exec(statement)?.[1] as SpoolTable | undefined
      if (table !== undefined) counts[table] += Number(result.rowsChanged)
    }
  })
  return counts
}
