/**
 * The compact per-run summary printed after Vitest's own output: tasks, failures and run-level metrics
 * (count / avg / min / max) of each run, and where the database and report are.
 */
import { relative } from 'node:path'
import { formatDuration, formatNumber } from './display-format.js'
import type { Database } from './store/database.js'

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
  readonly status: string
  readonly durationMs: number
  readonly tasks: number
  readonly failedTasks: number
  readonly failedTests: number
  readonly metrics: readonly MetricLine[]
}

/** Reads the summary of every run of a session. */
export async function loadSessionSummary(database: Database, sessionId: string): Promise<RunSummary[]> {
  const runs = await database.query<{
    run_id: string
    name: string
    status: string
    duration_ms: number | null
    tasks: bigint | number
    failed_tasks: bigint | number
    failed_tests: bigint | number
  }>(
    `SELECT r.run_id, r.name, r.status, r.duration_ms, r.started_at,
        count(s.span_id) FILTER (WHERE s.kind = 'task') AS tasks,
        count(s.span_id) FILTER (WHERE s.kind = 'task' AND s.status = 'error') AS failed_tasks,
        count(s.span_id) FILTER (WHERE s.kind = 'test' AND s.status = 'error') AS failed_tests
     FROM runs r LEFT JOIN spans s ON s.run_id = r.run_id
     WHERE r.session_id = ?
     GROUP BY ALL
     ORDER BY r.name, r.started_at`,
    [sessionId],
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
    status: row.status,
    durationMs: row.duration_ms ?? 0,
    tasks: Number(row.tasks),
    failedTasks: Number(row.failed_tasks),
    failedTests: Number(row.failed_tests),
    metrics: byRun.get(row.run_id) ?? [],
  }))
}

/** Where the session's data went. */
export interface SummaryPlaces {
  readonly dbPath: string
  readonly reportPath: string | undefined
  readonly cwd: string
  readonly color: boolean
}

const STATUS_MARK: Record<string, string> = { passed: '✓', failed: '✗', crashed: '☠', skipped: '↓' }

/** Formats the summary block. */
export function formatSummary(runs: readonly RunSummary[], places: SummaryPlaces): string {
  const paint = (code: number, text: string): string =>
    places.color ? `\u001b[${code}m${text}\u001b[39m` : text
  const dim = (text: string): string => (places.color ? `\u001b[2m${text}\u001b[22m` : text)
  const bold = (text: string): string => (places.color ? `\u001b[1m${text}\u001b[22m` : text)
  const lines: string[] = [
    '',
    bold(' strikes ') + dim(`${runs.length} run${runs.length === 1 ? '' : 's'} recorded`),
  ]
  for (const run of runs) {
    const colour = run.status === 'passed' ? 32 : run.status === 'skipped' ? 33 : 31
    const failures = run.failedTasks + run.failedTests
    const counts = `${run.tasks} task${run.tasks === 1 ? '' : 's'} · ${failures === 0 ? '0 failed' : paint(31, `${failures} failed`)} · ${formatDuration(run.durationMs)}`
    lines.push(
      ` ${paint(colour, STATUS_MARK[run.status] ?? '?')} ${run.name}  ${dim(counts)}${run.status === 'crashed' ? paint(31, '  crashed') : ''}`,
    )
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

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel.startsWith('..') ? path : rel
}
