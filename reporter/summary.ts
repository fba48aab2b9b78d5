/**
 * The compact per-run summary printed after Vitest's own output: tasks, failures and run-level metrics
 * (count / avg / min / max) of each run, and where the database and report are. Bounded whatever the
 * session: at most 50 runs and 20 keys per run are read and printed, names are cut, and every stored
 * string is printed through `terminalText`.
 */
import { relative } from 'node:path'
import { formatDuration, formatNumber } from './display-format.js'
import type { Database } from './store/database.js'
import { displayName, displaySql, terminalText } from './terminal-text.js'

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
  /** The run's name, ready to print (cut, control characters made visible). */
  readonly name: string
  readonly status: string
  readonly durationMs: number
  readonly tasks: number
  readonly failedTasks: number
  readonly failedTests: number
  /** The first {@link SUMMARY_LIMITS}.keysPerRun keys, names ready to print. */
  readonly metrics: readonly MetricLine[]
  /** How many run-level keys the run has (default: the keys listed). */
  readonly totalKeys?: number
  /** How many runs the session has (on every run; default: the runs listed). */
  readonly totalRuns?: number
}

/** What the summary prints at most; the rest is counted ("and N more"). */
export const SUMMARY_LIMITS = { runs: 50, keysPerRun: 20 } as const

/**
 * Reads the summary of the runs of a session: at most {@link SUMMARY_LIMITS} runs and keys per run
 * (counted in SQL, so a session of a million keys costs what one of twenty does), names cut in SQL.
 */
export async function loadSessionSummary(database: Database, sessionId: string): Promise<RunSummary[]> {
  const runs = await database.query<{
    run_id: string
    name: string | null
    name_chars: bigint | number | null
    status: string | null
    duration_ms: number | null
    tasks: bigint | number
    failed_tasks: bigint | number
    failed_tests: bigint | number
    total_runs: bigint | number
  }>(
    // Spans are counted per run first, so a huge name is never copied onto every span row.
    `WITH counts AS (
       SELECT run_id,
         count(*) FILTER (WHERE kind = 'task') AS tasks,
         count(*) FILTER (WHERE kind = 'task' AND status = 'error') AS failed_tasks,
         count(*) FILTER (WHERE kind = 'test' AND status = 'error') AS failed_tests
       FROM spans WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = $1) GROUP BY run_id
     )
     SELECT r.run_id, ${displaySql('r.name')} AS name, length(r.name) AS name_chars, left(r.status, 40) AS status, r.duration_ms,
        coalesce(c.tasks, 0) AS tasks, coalesce(c.failed_tasks, 0) AS failed_tasks,
        coalesce(c.failed_tests, 0) AS failed_tests, count(*) OVER () AS total_runs
     FROM runs r LEFT JOIN counts c ON c.run_id = r.run_id
     WHERE r.session_id = $1
     ORDER BY ${displaySql('r.name')}, r.started_at, r.run_id
     LIMIT ${SUMMARY_LIMITS.runs}`,
    [sessionId],
  )
  const metrics = await database.query<{
    run_id: string
    name: string | null
    name_chars: bigint | number | null
    count: bigint | number
    avg: number | null
    min: number | null
    max: number | null
    keys: bigint | number
  }>(
    `SELECT run_id, ${displaySql('name')} AS name, length(name) AS name_chars, count, avg, min, max, keys
     FROM (
       SELECT run_id, name, count(*) AS count, avg(raw_value) AS avg, min(raw_value) AS min, max(raw_value) AS max,
         count(*) OVER (PARTITION BY run_id) AS keys
       FROM run_metrics WHERE run_id IN (SELECT unnest(?::JSON::VARCHAR[]))
       GROUP BY run_id, name
       QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY name) <= ${SUMMARY_LIMITS.keysPerRun}
     ) ORDER BY run_id, name`,
    [JSON.stringify(runs.map((row) => row.run_id))],
  )
  const byRun = new Map<string, { lines: MetricLine[]; keys: number }>()
  for (const row of metrics) {
    const entry = byRun.get(row.run_id) ?? { lines: [], keys: Number(row.keys) }
    entry.lines.push({
      name: displayName(row.name, row.name_chars),
      count: Number(row.count),
      avg: row.avg ?? Number.NaN,
      min: row.min ?? Number.NaN,
      max: row.max ?? Number.NaN,
    })
    byRun.set(row.run_id, entry)
  }
  return runs.map((row) => ({
    runId: row.run_id,
    name: displayName(row.name, row.name_chars),
    status: terminalText(row.status ?? '?', { maxChars: 20 }),
    durationMs: row.duration_ms ?? 0,
    tasks: Number(row.tasks),
    failedTasks: Number(row.failed_tasks),
    failedTests: Number(row.failed_tests),
    metrics: byRun.get(row.run_id)?.lines ?? [],
    totalKeys: byRun.get(row.run_id)?.keys ?? 0,
    totalRuns: Number(row.total_runs),
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
  const totalRuns = runs[0]?.totalRuns ?? runs.length
  const lines: string[] = [
    '',
    bold(' strikes ') + dim(`${totalRuns} run${totalRuns === 1 ? '' : 's'} recorded`),
  ]
  for (const run of runs.slice(0, SUMMARY_LIMITS.runs)) {
    const colour = run.status === 'passed' ? 32 : run.status === 'skipped' ? 33 : 31
    const failures = run.failedTasks + run.failedTests
    const counts = `${run.tasks} task${run.tasks === 1 ? '' : 's'} · ${failures === 0 ? '0 failed' : paint(31, `${failures} failed`)} · ${formatDuration(run.durationMs)}`
    lines.push(
      ` ${paint(colour, STATUS_MARK[run.status] ?? '?')} ${run.name}  ${dim(counts)}${run.status === 'crashed' ? paint(31, '  crashed') : ''}`,
    )
    const shown = run.metrics.slice(0, SUMMARY_LIMITS.keysPerRun)
    let width = 0
    for (const metric of shown) width = Math.max(width, metric.name.length)
    for (const metric of shown) {
      lines.push(
        `     ${metric.name.padEnd(width)}  ${dim('n=')}${String(metric.count).padEnd(6)} ${dim('avg')} ${formatNumber(metric.avg)}  ${dim('min')} ${formatNumber(metric.min)}  ${dim('max')} ${formatNumber(metric.max)}`,
      )
    }
    const keys = Math.max(run.totalKeys ?? 0, run.metrics.length)
    if (keys > shown.length) lines.push(dim(`     … and ${keys - shown.length} more keys`))
  }
  if (totalRuns > Math.min(runs.length, SUMMARY_LIMITS.runs)) {
    lines.push(dim(`   … and ${totalRuns - Math.min(runs.length, SUMMARY_LIMITS.runs)} more runs`))
  }
  lines.push(dim(` db     ${terminalText(displayPath(places.dbPath, places.cwd))}`))
  if (places.reportPath !== undefined)
    lines.push(dim(` report ${terminalText(displayPath(places.reportPath, places.cwd))}`))
  return lines.join('\n')
}

function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel.startsWith('..') ? path : rel
}
