/**
 * The compact per-run summary printed after Vitest's own output: each run's status, its tasks (and how
 * many failed) apart from its tests (how many failed, how many passed only after retries), the error
 * outside its tests if any, its run-level metrics (count / avg / min / max), whether the session ran only
 * part of the suite, and where the database and report are. Bounded whatever the session: at most 50
 * runs and 20 keys per run are printed (the rest counted), keys are counted and cut in SQL, names are
 * cut, and every stored string is printed through `terminalText`.
 */
import { relative } from 'node:path'
import { formatDuration, formatNumber } from './display-format.js'
import type { Database } from './store/database.js'
import { type RunCounts, runCountsSql } from './store/run-counts.js'
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
export interface RunSummary extends RunCounts {
  readonly runId: string
  /** The run's name, ready to print (cut, control characters made visible). */
  readonly name: string
  /** The run's test file (absolute). */
  readonly file: string
  readonly status: string
  readonly durationMs: number
  /** The error outside the run's tests (import, suite hook, unhandled rejection), if any. */
  readonly error: string | null
  /** The first {@link SUMMARY_LIMITS}.keysPerRun keys, names ready to print. */
  readonly metrics: readonly MetricLine[]
  /** How many run-level keys the run has (default: the keys listed). */
  readonly totalKeys?: number
  /** How many runs the session has (on every run; default: the runs listed). */
  readonly totalRuns?: number
}

/**
 * What the summary prints at most (the rest is counted: "and N more"), and how many runs it reads (their
 * files name the gates in CI surfaces).
 */
export const SUMMARY_LIMITS = { runs: 50, keysPerRun: 20, loadedRuns: 10_000 } as const

/**
 * Reads the summary of the runs of a session: at most {@link SUMMARY_LIMITS} runs and keys per run
 * (counted in SQL, so a session of a million keys costs what one of twenty does), names cut in SQL.
 */
export async function loadSessionSummary(database: Database, sessionId: string): Promise<RunSummary[]> {
  const runs = await database.query<{
    run_id: string
    name: string | null
    name_chars: bigint | number | null
    file: string | null
    status: string | null
    duration_ms: number | null
    error: string | null
    tasks: bigint | number | null
    failed_tasks: bigint | number | null
    tests: bigint | number | null
    failed_tests: bigint | number | null
    flaky_tests: bigint | number | null
    total_runs: bigint | number
  }>(
    // Spans are counted per run first, so a huge name is never copied onto every span row.
    `WITH session_spans AS (
       SELECT run_id, span_id, parent_id, kind, name, status, attributes FROM spans
       WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = $1)
     ),
     ${runCountsSql('session_spans')}
     SELECT r.run_id, ${displaySql('r.name')} AS name, length(r.name) AS name_chars,
       left(r.file, 4096) AS file,
       left(r.status, 40) AS status, r.duration_ms, left(r.error, 2000) AS error,
       t.tasks, t.failed_tasks, c.tests, c.failed_tests, c.flaky_tests, count(*) OVER () AS total_runs
     FROM runs r LEFT JOIN task_counts t USING (run_id) LEFT JOIN test_counts c USING (run_id)
     WHERE r.session_id = $1
     ORDER BY ${displaySql('r.name')}, r.started_at, r.run_id
     LIMIT ${SUMMARY_LIMITS.loadedRuns}`,
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
       SELECT run_id, name, count(*) AS count, avg(raw_value) AS avg, min(raw_value) AS min,
         max(raw_value) AS max,
         count(*) OVER (PARTITION BY run_id) AS keys
       FROM run_metrics WHERE run_id IN (SELECT unnest(?::JSON::VARCHAR[]))
       GROUP BY run_id, name
       QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY name) <= ${SUMMARY_LIMITS.keysPerRun}
     ) ORDER BY run_id, name`,
    [JSON.stringify(runs.slice(0, SUMMARY_LIMITS.runs).map((row) => row.run_id))],
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
    file: row.file ?? row.name ?? '',
    status: terminalText(row.status ?? '?', { maxChars: 20 }),
    durationMs: row.duration_ms ?? 0,
    tasks: Number(row.tasks ?? 0),
    failedTasks: Number(row.failed_tasks ?? 0),
    tests: Number(row.tests ?? 0),
    failedTests: Number(row.failed_tests ?? 0),
    flakyTests: Number(row.flaky_tests ?? 0),
    error: row.error,
    metrics: byRun.get(row.run_id)?.lines ?? [],
    totalKeys: byRun.get(row.run_id)?.keys ?? 0,
    totalRuns: Number(row.total_runs),
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
      : ` · partial run (${terminalText(places.partial.join(', ') || 'a subset of the eval files')})`
  const totalRuns = runs[0]?.totalRuns ?? runs.length
  const lines: string[] = [
    '',
    bold(' strikes ') + dim(`${totalRuns} run${totalRuns === 1 ? '' : 's'} recorded${partial}`),
  ]
  const shownRuns = runs.slice(0, SUMMARY_LIMITS.runs)
  for (const run of shownRuns) {
    const colour =
      run.status === 'passed' ? 32 : run.status === 'skipped' || run.status === 'cancelled' ? 33 : 31
    const failed = (count: number): string => (count === 0 ? '' : ` (${paint(31, `${count} failed`)})`)
    const flaky = run.flakyTests === 0 ? '' : ` (${paint(33, `${run.flakyTests} flaky`)})`
    const counts =
      `${plural(run.tasks, 'task')}${failed(run.failedTasks)} · ` +
      `${plural(run.tests, 'test')}${failed(run.failedTests)}${flaky}` +
      ` · ${formatDuration(run.durationMs)}`
    const marked = run.status === 'passed' || run.status === 'failed' ? '' : paint(colour, `  ${run.status}`)
    lines.push(` ${paint(colour, STATUS_MARK[run.status] ?? '?')} ${run.name}  ${dim(counts)}${marked}`)
    if (run.error !== null && run.error !== '') {
      lines.push(`     ${paint(31, 'error outside tests:')} ${terminalText(firstLine(run.error))}`)
    }
    const shown = run.metrics.slice(0, SUMMARY_LIMITS.keysPerRun)
    let width = 0
    for (const metric of shown) width = Math.max(width, metric.name.length)
    for (const metric of shown) {
      lines.push(
        `     ${metric.name.padEnd(width)}  ${dim('n=')}${String(metric.count).padEnd(6)} ` +
          `${dim('avg')} ${formatNumber(metric.avg)}  ${dim('min')} ${formatNumber(metric.min)}  ` +
          `${dim('max')} ${formatNumber(metric.max)}`,
      )
    }
    const keys = Math.max(run.totalKeys ?? 0, run.metrics.length)
    if (keys > shown.length) lines.push(dim(`     … and ${keys - shown.length} more keys`))
  }
  if (totalRuns > shownRuns.length) {
    lines.push(dim(`   … and ${totalRuns - shownRuns.length} more runs`))
  }
  lines.push(dim(` db     ${terminalText(displayPath(places.dbPath, places.cwd))}`))
  if (places.reportPath !== undefined)
    lines.push(dim(` report ${terminalText(displayPath(places.reportPath, places.cwd))}`))
  return lines.join('\n')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}

/** The first line of a text, cut to 200 characters. */
export function firstLine(text: string): string {
  const line = text.split('\n', 1)[0] ?? ''
  return line.length > 200 ? `${line.slice(0, 199)}…` : line
}

/** A path as printed: relative to `cwd` when inside it, else as it is. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel.startsWith('..') ? path : rel
}
