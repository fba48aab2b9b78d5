/**
 * Bulk ingest of spool folders into DuckDB: each table file is read by DuckDB's own `read_json` in one
 * `INSERT … SELECT` (never one INSERT per record), a run's records in one transaction, then the folder
 * is removed. A run already in the database is not ingested twice.
 */
import type { SpoolTable } from '../../src/record.js'
import type { Database } from './database.js'
import { removeFolder, type SpoolRun, tableFile } from './spool-reader.js'

/** Final status of a run. */
export type RunStatus = 'passed' | 'failed' | 'crashed' | 'skipped'

/** Rows written per table by one ingest. */
export type IngestCounts = Record<SpoolTable | 'runs', number>

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

/** The INSERT … SELECT that ingests one table file of a run. */
function insertSql(table: SpoolTable, file: string, runId: string): string {
  const run = sqlString(runId)
  switch (table) {
    case 'spans':
      return `INSERT INTO spans SELECT span_id, trace_id, ${run}, parent_id, kind, name, label, tags, status, error,
          make_timestamp(started_at), duration_ms, attributes
        FROM ${readJson(file, {
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
        })}`
    case 'metrics':
      return `INSERT INTO metrics SELECT ${run}, span_id, name, value, step, make_timestamp(ts), source, attributes, seq
        FROM ${readJson(file, {
          span_id: 'VARCHAR',
          name: 'VARCHAR',
          value: 'DOUBLE',
          step: 'DOUBLE',
          ts: 'BIGINT',
          source: 'VARCHAR',
          attributes: 'JSON',
          seq: 'BIGINT',
        })}`
    case 'run_metrics':
      return `INSERT INTO run_metrics SELECT ${run}, span_id, name, value, raw_value, mode, step, make_timestamp(ts), seq
        FROM ${readJson(file, {
          span_id: 'VARCHAR',
          name: 'VARCHAR',
          value: 'DOUBLE',
          raw_value: 'DOUBLE',
          mode: 'VARCHAR',
          step: 'DOUBLE',
          ts: 'BIGINT',
          seq: 'BIGINT',
        })}`
    case 'objects':
      // Objects are de-duplicated per run: the worker skips hashes it remembers, this catches the rest.
      return `INSERT INTO objects SELECT ${run}, hash, any_value(value), any_value(size_bytes), any_value(truncated)
        FROM ${readJson(file, { hash: 'VARCHAR', value: 'JSON', size_bytes: 'BIGINT', truncated: 'BOOLEAN' })}
        GROUP BY hash`
    case 'task_io':
      return `INSERT INTO task_io SELECT ${run}, span_id, direction, name, hash
        FROM ${readJson(file, { span_id: 'VARCHAR', direction: 'VARCHAR', name: 'VARCHAR', hash: 'VARCHAR' })}`
  }
}

const TABLES: readonly SpoolTable[] = ['spans', 'metrics', 'run_metrics', 'objects', 'task_io']

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

/**
 * Ingests one run folder in a transaction and removes the folder after the commit. Returns the rows
 * written per table (all zero when the run was already ingested).
 */
export async function ingestRun(
  database: Database,
  run: SpoolRun,
  outcome: RunOutcome,
): Promise<IngestCounts> {
  const counts: IngestCounts = { runs: 0, spans: 0, metrics: 0, run_metrics: 0, objects: 0, task_io: 0 }
  if (await runExists(database, run.runId)) {
    removeFolder(run.dir)
    return counts
  }
  const startedMicros = run.start.started_at
  const endedMicros =
    outcome.endedAt !== undefined
      ? outcome.endedAt.getTime() * 1000
      : (run.end?.ended_at ?? Date.now() * 1000)
  await database.transaction(async () => {
    await database.run(
      `INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?, ?::JSON, ?::JSON::VARCHAR[])`,
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
        JSON.stringify(run.params),
        JSON.stringify(run.tags),
      ],
    )
    counts.runs = 1
    for (const table of TABLES) {
      const file = tableFile(run, table)
      if (file === undefined) continue
      const result = await database.connection.run(insertSql(table, file, run.runId))
      counts[table] = Number(result.rowsChanged)
    }
  })
  removeFolder(run.dir)
  return counts
}
