/** The runs (eval files) of a session with their status, duration and task and test counts. */
import type { Database } from '../store/database.js'
import { cutSql } from './report-budget.js'

/** Tags shown per run. */
const MAX_TAGS = 50

/** One run as listed in the report, before its sections are attached. */
export interface RunOverview {
  readonly runId: string
  readonly project: string | null
  readonly name: string
  readonly status: string
  readonly durationMs: number | null
  readonly params: string | null
  /** Characters of the params' JSON (`params` holds at most the first 401). */
  readonly paramsChars: number
  readonly tags: readonly string[]
  readonly tasks: number
  readonly failedTasks: number
  readonly tests: number
  readonly failedTests: number
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
  runs: bigint | number
}

/** Loads the runs of a session in name order, at most `limit`. */
export async function loadRunOverviews(
  database: Database,
  sessionId: string,
  limit: number,
): Promise<RunOverview[]> {
  const rows = await database.query<RunRow>(
    `WITH counts AS (
       SELECT s.run_id,
         count(*) FILTER (WHERE s.kind = 'task') AS tasks,
         count(*) FILTER (WHERE s.kind = 'task' AND s.status = 'error') AS failed_tasks,
         count(*) FILTER (WHERE s.kind = 'test') AS tests,
         count(*) FILTER (WHERE s.kind = 'test' AND s.status = 'error') AS failed_tests
       FROM spans s WHERE s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
       GROUP BY s.run_id
     )
     SELECT r.run_id, ${cutSql('r.project')} AS project, coalesce(${cutSql('r.name')}, '—') AS name,
       ${cutSql('r.status', 40)} AS status, r.duration_ms,
       left(r.params::VARCHAR, 401) AS params, length(r.params::VARCHAR) AS params_chars,
       list_transform(r.tags[1:${MAX_TAGS}], tag -> ${cutSql('tag', 100)}) AS tags,
       coalesce(c.tasks, 0) AS tasks, coalesce(c.failed_tasks, 0) AS failed_tasks,
       coalesce(c.tests, 0) AS tests, coalesce(c.failed_tests, 0) AS failed_tests,
       count(*) OVER () AS runs
     FROM runs r LEFT JOIN counts c ON c.run_id = r.run_id
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
    runs: Number(row.runs),
  }))
}
