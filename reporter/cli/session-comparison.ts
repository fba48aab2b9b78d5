/**
 * Two sessions side by side: for each run-level key of each run (matched by project, run name and key),
 * one aggregate in each session and the change. Higher is better unless the key is listed as
 * lower-is-better; regressions come first, the largest relative drop first.
 */
import { approximatelyEqual } from '../gate/evaluate-threshold.js'
import { loadSeriesAggregates } from '../gate/series-aggregates.js'
import type { Aggregate } from '../gate/threshold-expression.js'
import type { Database } from '../store/database.js'

/** How a key changed from session A to session B. */
export type ComparisonStatus = 'regressed' | 'improved' | 'unchanged' | 'only in A' | 'only in B'

/** One run and key in both sessions. */
export interface ComparisonRow {
  readonly project: string | null
  readonly run: string
  readonly key: string
  /** The aggregate in session A (the baseline). */
  readonly a: number | undefined
  /** The aggregate in session B (the candidate). */
  readonly b: number | undefined
  /** `b - a`. */
  readonly delta: number | undefined
  /** `(b - a) / |a|`; undefined when `a` is 0 or absent. */
  readonly relative: number | undefined
  readonly status: ComparisonStatus
}

/** What to compare. */
export interface CompareOptions {
  readonly aggregate: Aggregate
  /** Keys for which a decrease is an improvement (latency, cost, token counts). */
  readonly lowerIsBetter: ReadonlySet<string>
}

const ORDER: readonly ComparisonStatus[] = ['regressed', 'improved', 'unchanged', 'only in A', 'only in B']

/** Compares session `a` (baseline) with session `b` (candidate): regressions first. */
export async function compareSessions(
  database: Database,
  a: string,
  b: string,
  options: CompareOptions,
): Promise<ComparisonRow[]> {
  const [left, right] = await Promise.all([
    sessionValues(database, a, options.aggregate),
    sessionValues(database, b, options.aggregate),
  ])
  const rows: ComparisonRow[] = []
  for (const id of new Set([...left.keys(), ...right.keys()])) {
    const entry = (left.get(id) ?? right.get(id)) as SessionValue
    const valueA = left.get(id)?.value
    const valueB = right.get(id)?.value
    const delta = valueA === undefined || valueB === undefined ? undefined : valueB - valueA
    const relative =
      delta === undefined || valueA === 0 || valueA === undefined ? undefined : delta / Math.abs(valueA)
    const sign = options.lowerIsBetter.has(entry.key) ? -1 : 1
    let status: ComparisonStatus
    if (valueA === undefined) status = 'only in B'
    else if (valueB === undefined) status = 'only in A'
    else if (approximatelyEqual(valueA, valueB)) status = 'unchanged'
    else status = (delta as number) * sign < 0 ? 'regressed' : 'improved'
    rows.push({
      project: entry.project,
      run: entry.run,
      key: entry.key,
      a: valueA,
      b: valueB,
      delta,
      relative,
      status,
    })
  }
  return rows.sort((x, y) => {
    const group = ORDER.indexOf(x.status) - ORDER.indexOf(y.status)
    if (group !== 0) return group
    if (x.status === 'regressed' || x.status === 'improved') {
      const size = magnitude(y) - magnitude(x)
      if (size !== 0) return size
    }
    return x.run.localeCompare(y.run) || x.key.localeCompare(y.key)
  })
}

interface SessionValue {
  readonly project: string | null
  readonly run: string
  readonly key: string
  readonly value: number
}

/** The aggregate of each (project, run name, key) of a session; the newest run wins when a file ran twice. */
async function sessionValues(
  database: Database,
  sessionId: string,
  aggregate: Aggregate,
): Promise<Map<string, SessionValue>> {
  const runs = await database.query<{ run_id: string; project: string | null; name: string }>(
    'SELECT run_id, project, name FROM runs WHERE session_id = ? ORDER BY started_at, run_id',
    [sessionId],
  )
  const runById = new Map(runs.map((run) => [run.run_id, run]))
  const order = new Map(runs.map((run, index) => [run.run_id, index]))
  const series = await loadSeriesAggregates(
    database,
    runs.map((run) => run.run_id),
  )
  series.sort((x, y) => (order.get(x.runId) ?? 0) - (order.get(y.runId) ?? 0))
  const values = new Map<string, SessionValue>()
  for (const entry of series) {
    const run = runById.get(entry.runId)
    if (run === undefined) continue
    values.set(JSON.stringify([run.project, run.name, entry.key]), {
      project: run.project,
      run: run.name,
      key: entry.key,
      value: entry.aggregates[aggregate],
    })
  }
  return values
}

function magnitude(row: ComparisonRow): number {
  return Math.abs(row.relative ?? row.delta ?? 0)
}
