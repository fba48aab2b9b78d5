/**
 * The compact per-run summary printed after Vitest's own output: each run's status, its tasks (and how
 * many failed) apart from its tests (how many failed, how many passed only after retries), the error
 * outside its tests if any, its run-level metrics (count / avg / min / max), whether the session ran only
 * part of the suite, and where the database and report are.
 */
import { relative } from 'node:path'
import { formatDuration, formatNumber } from './display-format.js'
import type { Database } from './store/database.js'
import { flakyAttempt, retriedAttempt, testOfAttempt } from './store/test-attempts.js'

/** One run-level metric key of a run. */
export interface MetricLine {
  readonly name: string
  readonly count: number
  readonly avg: number
  readonly min: number
  readonly max: number
}

/** One run in the summary. */
export interface RunSummary {
  readonly runId: string
  readonly name: string
  /** The run's test file (absolute). */
  readonly file: string
  readonly status: string
  readonly durationMs: number
  readonly tasks: number
  readonly failedTasks: number
  /** Test cases (a test retried or repeated counts once). */
  readonly tests: number
  /** Tests whose final attempt failed. */
  readonly failedTests: number
  /** Tests that passed after failed attempts (`retry`). */
  readonly flakyTests: number
  /** The error outside the run's tests (import, suite hook, unhandled rejection), if any. */
  readonly error: string | null
  readonly metrics: readonly MetricLine[]
}

/** Reads the summary of every run of a session. */
export async function loadSessionSummary(database: Database, sessionId: string): Promise<RunSummary[]> {
  const runs = await database.query<{
    run_id: string
    name: string
    file: string | null
    status: string
    duration_ms: number | null
    error: string | null
    tasks: bigint | number | null
    failed_tasks: bigint | number | null
    tests: bigint | number | null
    failed_tests: bigint | number | null
    flaky_tests: bigint | number | null
  }>(
    `WITH session_spans AS (
       SELECT * FROM spans s WHERE s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
     ),
     tasks AS (
       SELECT run_id, count(*) AS tasks, count(*) FILTER (WHERE status = 'error') AS failed_tasks
       FROM session_spans WHERE kind = 'task' GROUP BY run_id
     ),
     tests AS (
       SELECT s.run_id, ${testOfAttempt('s')} AS test_id,
         bool_or(s.status = 'error' AND NOT ${retriedAttempt('s')}) AS failed,
         bool_or(${flakyAttempt('s')}) AS flaky
       FROM session_spans s WHERE s.kind = 'test' GROUP BY ALL
     ),
     test_counts AS (
       SELECT run_id, count(*) AS tests, count(*) FILTER (WHERE failed) AS failed_tests,
         count(*) FILTER (WHERE flaky AND NOT failed) AS flaky_tests
       FROM tests GROUP BY run_id
     )
     SELECT r.run_id, r.name, r.file, r.status, r.duration_ms, r.started_at, left(r.error, 2000) AS error,
       t.tasks, t.failed_tasks, c.tests, c.failed_tests, c.flaky_tests
     FROM runs r LEFT JOIN tasks t USING (run_id) LEFT JOIN test_counts c USING (run_id)
     WHERE r.session_id = ?
     ORDER BY r.name, r.started_at`,
    [sessionId, sessionId],
  )
  const metrics = await database.query<{
    run_id: string
    name: string
    count: bigint | number
    avg: number
    min: number
    max: number
  }>(
    `SELECT m.run_id, m.name, m.count, m.avg, m.min, m.max
     FROM metric_summary m JOIN runs r ON r.run_id = m.run_id
     WHERE r.session_id = ?
     ORDER BY m.name`,
    [sessionId],
  )
  const byRun = new Map<string, MetricLine[]>()
  for (const row of metrics) {
    const list = byRun.get(row.run_id) ?? []
    list.push({ name: row.name, count: Number(row.count), avg: row.avg, min: row.min, max: row.max })
    byRun.set(row.run_id, list)
  }
  return runs.map((row) => ({
    runId: row.run_id,
    name: row.name,
    file: row.file ?? row.name,
    status: row.status,
    durationMs: row.duration_ms ?? 0,
    tasks: Number(row.tasks ?? 0),
    failedTasks: Number(row.failed_tasks ?? 0),
    tests: Number(row.tests ?? 0),
    failedTests: Number(row.failed_tests ?? 0),
    flakyTests: Number(row.flaky_tests ?? 0),
    error: row.error,
    metrics: byRun.get(row.run_id) ?? [],
  }))
}

/** Where the session's data went, and what it ran. */
export interface SummaryPlaces {
  readonly dbPath: string
  readonly reportPath: string | undefined
  readonly cwd: string
  readonly color: boolean
  /** Why the session ran only part of the suite; `undefined` for a whole session. */
  readonly partial?: readonly string[] | undefined
}

const STATUS_MARK: Record<string, string> = {
  passed: '✓',
  failed: '✗',
  crashed: '☠',
  skipped: '↓',
  cancelled: '⊘',
}

/** Formats the summary block. */
export function formatSummary(runs: readonly RunSummary[], places: SummaryPlaces): string {
  const paint = (code: number, text: string): string =>
    places.color ? `\u001b[${code}m${text}\u001b[39m` : text
  const dim = (text: string): string => (places.color ? `\u001b[2m${text}\u001b[22m` : text)
  const bold = (text: string): string => (places.color ? `\u001b[1m${text}\u001b[22m` : text)
  const partial =
    places.partial === undefined
      ? ''
      : ` · partial run (${places.partial.join(', ') || 'a subset of the eval files'})`
  const lines: string[] = [
    '',
    bold(' strikes ') + dim(`${runs.length} run${runs.length === 1 ? '' : 's'} recorded${partial}`),
  ]
  for (const run of runs) {
    const colour =
      run.status === 'passed' ? 32 : run.status === 'skipped' || run.status === 'cancelled' ? 33 : 31
    const failed = (count: number): string => (count === 0 ? '' : ` (${paint(31, `${count} failed`)})`)
    const flaky = run.flakyTests === 0 ? '' : ` (${paint(33, `${run.flakyTests} flaky`)})`
    const counts =
      `${plural(run.tasks, 'task')}${failed(run.failedTasks)} · ${plural(run.tests, 'test')}${failed(run.failedTests)}${flaky}` +
      ` · ${formatDuration(run.durationMs)}`
    const marked = run.status === 'passed' || run.status === 'failed' ? '' : paint(colour, `  ${run.status}`)
    lines.push(` ${paint(colour, STATUS_MARK[run.status] ?? '?')} ${run.name}  ${dim(counts)}${marked}`)
    if (run.error !== null && run.error !== '') {
      lines.push(`     ${paint(31, 'error outside tests:')} ${firstLine(run.error)}`)
    }
    const width = Math.max(0, ...run.metrics.map((metric) => metric.name.length))
    for (const metric of run.metrics.slice(0, 20)) {
      lines.push(
        `     ${metric.name.padEnd(width)}  ${dim('n=')}${String(metric.count).padEnd(6)} ${dim('avg')} ${formatNumber(metric.avg)}  ${dim('min')} ${formatNumber(metric.min)}  ${dim('max')} ${formatNumber(metric.max)}`,
      )
    }
    if (run.metrics.length > 20) lines.push(dim(`     … and ${run.metrics.length - 20} more keys`))
  }
  lines.push(dim(` db     ${displayPath(places.dbPath, places.cwd)}`))
  if (places.reportPath !== undefined)
    lines.push(dim(` report ${displayPath(places.reportPath, places.cwd)}`))
  return lines.join('\n')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? ''
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel.startsWith('..') ? path : rel
}
