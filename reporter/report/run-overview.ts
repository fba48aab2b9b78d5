/**
 * The runs (eval files) of a session with their status, duration, error outside tests, and task and
 * test counts (a test retried or repeated counts once; a failed attempt that was retried is not a failed
 * test, and a test that passed after one is flaky).
 */
import type { Database } from '../store/database.js'
import { type RunCounts, runCountsSql } from '../store/run-counts.js'
import { cutSql } from './report-budget.js'
import { REPORT_LIMITS } from './report-options.js'

/** Tags shown per run. */
const MAX_TAGS = 50

/** One run as listed in the report, before its sections are attached. */
export interface RunOverview extends RunCounts {
  readonly runId: string
  readonly project: string | null
  readonly name: string
  readonly status: string
  readonly durationMs: number | null
  readonly params: string | null
  /** Characters of the params' JSON (`params` holds at most the first 401). */
  readonly paramsChars: number
  readonly tags: readonly string[]
  /** The error outside the run's tests, cut to `errorChars`, and its full length. */
  readonly error: string | null
  readonly errorLength: number
  /** How many runs the session has in all (the list is capped). */
  readonly runs: number
}

interface RunRow {
  run_id: string
  project: string | null
  name: string
  status: string | null
  duration_ms: number | null
  params: string | null
  params_chars: bigint | number | null
  tags: string[] | null
  tasks: bigint | number
  failed_tasks: bigint | number
  tests: bigint | number
  failed_tests: bigint | number
  flaky_tests: bigint | number
  error: string | null
  error_length: bigint | number | null
  runs: bigint | number
}

/** Loads the runs of a session in name order, at most `limit`. */
export async function loadRunOverviews(
  database: Database,
  sessionId: string,
  limit: number,
): Promise<RunOverview[]> {
  const rows = await database.query<RunRow>(
    `WITH session_spans AS (
       SELECT * FROM spans s WHERE s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
     ),
     ${runCountsSql('session_spans')}
     SELECT r.run_id, ${cutSql('r.project')} AS project, coalesce(${cutSql('r.name')}, '—') AS name,
       ${cutSql('r.status', 40)} AS status, r.duration_ms,
       left(r.params::VARCHAR, 401) AS params, length(r.params::VARCHAR) AS params_chars,
       list_transform(r.tags[1:${MAX_TAGS}], tag -> ${cutSql('tag', 100)}) AS tags,
       coalesce(c.tasks, 0) AS tasks, coalesce(c.failed_tasks, 0) AS failed_tasks,
       coalesce(t.tests, 0) AS tests, coalesce(t.failed_tests, 0) AS failed_tests,
       coalesce(t.flaky_tests, 0) AS flaky_tests,
       left(r.error, ${REPORT_LIMITS.errorChars}) AS error, length(r.error) AS error_length,
       count(*) OVER () AS runs
     FROM runs r LEFT JOIN task_counts c ON c.run_id = r.run_id LEFT JOIN test_counts t ON t.run_id = r.run_id
     WHERE r.session_id = ?
     ORDER BY r.name, r.started_at, r.run_id
     LIMIT ${Math.floor(limit)}`,
    [sessionId, sessionId],
  )
  return rows.map((row) => ({
    runId: row.run_id,
    project: row.project,
    name: row.name,
    status: row.status ?? 'unknown',
    durationMs: row.duration_ms,
    params: row.params === null || row.params === '{}' ? null : row.params,
    paramsChars: Number(row.params_chars ?? 0),
    tags: row.tags ?? [],
    tasks: Number(row.tasks),
    failedTasks: Number(row.failed_tasks),
    tests: Number(row.tests),
    failedTests: Number(row.failed_tests),
    flakyTests: Number(row.flaky_tests),
    error: row.error,
    errorLength: Number(row.error_length ?? row.error?.length ?? 0),
    runs: Number(row.runs),
  }))
}
