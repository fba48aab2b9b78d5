/**
 * The terminal summary of a big suite (more than `SUITE_SUMMARY_MIN_RUNS` runs), one screen whatever the
 * number of runs: a count of runs by status, one table of run-level metric keys across all the runs,
 * read in SQL (points, mean, min, max, and the run with the lowest mean), then the runs that did not pass (failed, crashed,
 * cancelled) with their counts and errors. The gate table follows it as for any session; the per-run
 * detail stays in the report and in `strikes runs`.
 */
import { formatNumber } from './display-format.js'
import type { Database } from './store/database.js'
import { displayPath, firstLine, type RunSummary, type SummaryPlaces } from './summary.js'
import { displayName, displaySql, terminalText } from './terminal-text.js'

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

/** The keys of a session across its runs: the first {@link MAX_KEYS} by name, and how many there are. */
export interface KeysAcrossRuns {
  readonly keys: readonly KeyAcrossRuns[]
  readonly total: number
}

/**
 * Reads every run-level key of the session across all its runs, in SQL: per key the runs that have it,
 * its points, their mean, min and max, and the run with the lowest mean (ties to the first by name).
 * Never from the per-run summary, which holds only the first runs and keys it prints.
 */
export async function loadKeysAcrossRuns(database: Database, sessionId: string): Promise<KeysAcrossRuns> {
  const rows = await database.query<{
    name: string | null
    name_chars: bigint | number | null
    runs: bigint | number
    count: bigint | number
    mean: number | null
    min: number | null
    max: number | null
    lowest_run: string | null
    lowest_chars: bigint | number | null
    lowest_avg: number | null
    total: bigint | number
  }>(
    `WITH per_run AS (
       SELECT m.run_id, m.name, count(*) AS count, sum(m.raw_value) AS total, avg(m.raw_value) AS avg,
         min(m.raw_value) AS min, max(m.raw_value) AS max
       FROM run_metrics m WHERE m.run_id IN (SELECT run_id FROM runs WHERE session_id = $1)
       GROUP BY m.run_id, m.name
     ),
     lowest AS (
       SELECT p.name, r.name AS run_name, p.avg FROM per_run p JOIN runs r USING (run_id)
       QUALIFY row_number() OVER (PARTITION BY p.name ORDER BY p.avg NULLS LAST, r.name, r.run_id) = 1
     ),
     keys AS (
       SELECT name, count(*) AS runs, sum(count) AS count, sum(total) / sum(count) AS mean,
         min(min) AS min, max(max) AS max
       FROM per_run GROUP BY name
     )
     SELECT ${displaySql('k.name')} AS name, length(k.name) AS name_chars, k.runs, k.count, k.mean, k.min,
       k.max, ${displaySql('l.run_name')} AS lowest_run, length(l.run_name) AS lowest_chars,
       l.avg AS lowest_avg, count(*) OVER () AS total
     FROM keys k JOIN lowest l USING (name)
     ORDER BY k.name
     LIMIT ${MAX_KEYS}`,
    [sessionId],
  )
  return {
    total: Number(rows[0]?.total ?? 0),
    keys: rows.map((row) => ({
      name: displayName(row.name, row.name_chars),
      runs: Number(row.runs),
      count: Number(row.count),
      mean: row.mean ?? Number.NaN,
      min: row.min ?? Number.NaN,
      max: row.max ?? Number.NaN,
      lowest: { run: displayName(row.lowest_run, row.lowest_chars), avg: row.lowest_avg ?? Number.NaN },
    })),
  }
}

const NOT_PASSED_MARK: Record<string, string> = { failed: '✗', crashed: '☠', cancelled: '⊘' }

/** Formats the suite summary block. */
export function formatSuiteSummary(
  runs: readonly RunSummary[],
  across: KeysAcrossRuns,
  places: SummaryPlaces,
): string {
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
  const keys = across.keys
  if (keys.length > 0) {
    const header = ['key', 'runs', 'n', 'mean', 'min', 'max', 'lowest run (mean)']
    const body = keys.map((key) => [
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
    if (across.total > keys.length) {
      lines.push(dim(`   … and ${across.total - keys.length} more keys in the report`))
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
