/**
 * The terminal summary of a big suite (more than `SUITE_SUMMARY_MIN_RUNS` runs), one screen whatever the
 * number of runs: a count of runs by status, one table of run-level metric keys across the runs (points,
 * mean, min, max, and the run with the lowest mean), then the runs that did not pass (failed, crashed,
 * cancelled) with their counts and errors. The gate table follows it as for any session; the per-run
 * detail stays in the report and in `strikes runs`.
 */
import { formatNumber } from './display-format.js'
import { displayPath, firstLine, type RunSummary, type SummaryPlaces } from './summary.js'
import { terminalText } from './terminal-text.js'

/** Sessions with more runs than this get the suite summary instead of one block per run. */
export const SUITE_SUMMARY_MIN_RUNS = 10

/** At most this many keys and this many runs not passed are listed; the rest are counted. */
const MAX_KEYS = 15
const MAX_RUNS_LISTED = 10

/** One metric key across the session's runs. */
export interface KeyAcrossRuns {
  readonly name: string
  /** Runs that have the key. */
  readonly runs: number
  /** Points over every run. */
  readonly count: number
  /** Mean over every point. */
  readonly mean: number
  readonly min: number
  readonly max: number
  /** The run whose mean is lowest, with that mean. */
  readonly lowest: { readonly run: string; readonly avg: number }
}

/** Folds each run's metric lines into one line per key (weighted by each run's count). */
export function keysAcrossRuns(runs: readonly RunSummary[]): KeyAcrossRuns[] {
  const keys = new Map<
    string,
    {
      runs: number
      count: number
      sum: number
      min: number
      max: number
      lowest: { run: string; avg: number }
    }
  >()
  for (const run of runs) {
    for (const metric of run.metrics) {
      const key = keys.get(metric.name)
      if (key === undefined) {
        keys.set(metric.name, {
          runs: 1,
          count: metric.count,
          sum: metric.avg * metric.count,
          min: metric.min,
          max: metric.max,
          lowest: { run: run.name, avg: metric.avg },
        })
        continue
      }
      key.runs += 1
      key.count += metric.count
      key.sum += metric.avg * metric.count
      key.min = Math.min(key.min, metric.min)
      key.max = Math.max(key.max, metric.max)
      if (metric.avg < key.lowest.avg) key.lowest = { run: run.name, avg: metric.avg }
    }
  }
  return [...keys]
    .map(([name, key]) => ({
      name,
      runs: key.runs,
      count: key.count,
      mean: key.count === 0 ? Number.NaN : key.sum / key.count,
      min: key.min,
      max: key.max,
      lowest: key.lowest,
    }))
    .sort((a, b) => a.name.localeCompare(b.name))
}

const NOT_PASSED_MARK: Record<string, string> = { failed: '✗', crashed: '☠', cancelled: '⊘' }

/** Formats the suite summary block. */
export function formatSuiteSummary(runs: readonly RunSummary[], places: SummaryPlaces): string {
  const paint = (code: number, text: string): string =>
    places.color ? `\u001b[${code}m${text}\u001b[39m` : text
  const dim = (text: string): string => (places.color ? `\u001b[2m${text}\u001b[22m` : text)
  const bold = (text: string): string => (places.color ? `\u001b[1m${text}\u001b[22m` : text)
  const byStatus = new Map<string, number>()
  for (const run of runs) byStatus.set(run.status, (byStatus.get(run.status) ?? 0) + 1)
  const statuses = [...byStatus].map(([status, count]) => `${count} ${status}`).join(', ')
  const partial =
    places.partial === undefined
      ? ''
      : ` · partial run (${places.partial.join(', ') || 'a subset of the eval files'})`
  const tasks = runs.reduce((sum, run) => sum + run.tasks, 0)
  const failedTasks = runs.reduce((sum, run) => sum + run.failedTasks, 0)
  const tests = runs.reduce((sum, run) => sum + run.tests, 0)
  const failedTests = runs.reduce((sum, run) => sum + run.failedTests, 0)
  const failed = (count: number): string => (count === 0 ? '' : ` (${paint(31, `${count} failed`)})`)
  const lines: string[] = [
    '',
    bold(' strikes ') + dim(`${runs.length} runs recorded (${statuses})${partial}`),
    dim(`   ${tasks} tasks`) + failed(failedTasks) + dim(` · ${tests} tests`) + failed(failedTests),
  ]
  const keys = keysAcrossRuns(runs)
  if (keys.length > 0) {
    const header = ['key', 'runs', 'n', 'mean', 'min', 'max', 'lowest run (mean)']
    const body = keys
      .slice(0, MAX_KEYS)
      .map((key) => [
        key.name,
        String(key.runs),
        String(key.count),
        formatNumber(key.mean),
        formatNumber(key.min),
        formatNumber(key.max),
        `${shorten(key.lowest.run, 40)} (${formatNumber(key.lowest.avg)})`,
      ])
    const widths = header.map((title, column) =>
      Math.max(title.length, ...body.map((row) => (row[column] ?? '').length)),
    )
    const format = (row: string[]): string =>
      `   ${row
        .map((cell, column) =>
          column === 0 || column === row.length - 1
            ? cell.padEnd(widths[column] ?? 0)
            : cell.padStart(widths[column] ?? 0),
        )
        .join('  ')}`.trimEnd()
    lines.push(dim(format(header)))
    for (const row of body) lines.push(format(row))
    if (keys.length > MAX_KEYS) {
      lines.push(dim(`   … and ${keys.length - MAX_KEYS} more keys in the report`))
    }
  }
  const notPassed = runs.filter((run) => run.status in NOT_PASSED_MARK)
  if (notPassed.length > 0) {
    lines.push(paint(31, ` ${notPassed.length} run${notPassed.length === 1 ? '' : 's'} did not pass:`))
    for (const run of notPassed.slice(0, MAX_RUNS_LISTED)) {
      const counts =
        `${run.tasks} tasks${run.failedTasks > 0 ? `, ${run.failedTasks} failed` : ''} · ` +
        `${run.tests} tests${run.failedTests > 0 ? `, ${run.failedTests} failed` : ''}`
      const status = run.status === 'failed' ? '' : paint(31, `  ${run.status}`)
      lines.push(` ${paint(31, NOT_PASSED_MARK[run.status] ?? '?')} ${run.name}  ${dim(counts)}${status}`)
      if (run.error !== null && run.error !== '')
        lines.push(`     ${paint(31, 'error outside tests:')} ${terminalText(firstLine(run.error))}`)
    }
    if (notPassed.length > MAX_RUNS_LISTED) {
      lines.push(dim(`   … and ${notPassed.length - MAX_RUNS_LISTED} more (strikes runs --limit 1)`))
    }
  }
  lines.push(dim(' per run: strikes runs --limit 1, or the report'))
  lines.push(dim(` db     ${terminalText(displayPath(places.dbPath, places.cwd))}`))
  if (places.reportPath !== undefined)
    lines.push(dim(` report ${terminalText(displayPath(places.reportPath, places.cwd))}`))
  return lines.join('\n')
}

function shorten(text: string, max: number): string {
  return text.length > max ? `…${text.slice(text.length - max + 1)}` : text
}
