/**
 * Aggregates of run-level series, computed in DuckDB over `run_metrics.raw_value` (the value as logged,
 * not the running aggregate stored beside it). Definitions:
 * `avg`/`mean` arithmetic mean; `min`, `max`, `sum`; `count` number of points; `p50`…`p99` continuous
 * quantiles (linear interpolation, as `metric_summary`); `pass_rate` the share of points whose raw value
 * is not 0 (booleans are stored as 1/0, so it is the share of `true`).
 */
import type { Database } from '../store/database.js'
import type { SeriesAggregate } from './threshold-expression.js'

/** Every aggregate of one run's series of one key. */
export type SeriesAggregates = Readonly<Record<SeriesAggregate, number>>

/** The DuckDB expression of each aggregate over `raw_value`. */
const AGGREGATE_SQL: Readonly<Record<SeriesAggregate, string>> = {
  avg: 'avg(raw_value)',
  mean: 'avg(raw_value)',
  min: 'min(raw_value)',
  max: 'max(raw_value)',
  sum: 'sum(raw_value)',
  count: 'count(*)::DOUBLE',
  p50: 'quantile_cont(raw_value, 0.5)',
  p90: 'quantile_cont(raw_value, 0.9)',
  p95: 'quantile_cont(raw_value, 0.95)',
  p99: 'quantile_cont(raw_value, 0.99)',
  pass_rate: 'avg(CASE WHEN raw_value <> 0 THEN 1.0 ELSE 0.0 END)',
}

const SELECT_AGGREGATES = Object.entries(AGGREGATE_SQL)
  .map(([name, sql]) => `${sql} AS "${name}"`)
  .join(', ')

/** The aggregates of a series of one run, keyed by run id and metric key. */
export interface RunSeries {
  readonly runId: string
  readonly key: string
  readonly aggregates: SeriesAggregates
}

/**
 * Aggregates of the run-level series of the runs `runIds`: those named in `keys`, or every key when
 * `keys` is omitted (series without points are absent).
 */
export async function loadSeriesAggregates(
  database: Database,
  runIds: readonly string[],
  keys?: readonly string[],
): Promise<RunSeries[]> {
  if (runIds.length === 0 || keys?.length === 0) return []
  const rows = await database.query<Record<string, unknown>>(
    `SELECT run_id, name, ${SELECT_AGGREGATES}
     FROM run_metrics
     WHERE run_id IN (SELECT unnest(?::JSON::VARCHAR[]))
       ${keys === undefined ? '' : 'AND name IN (SELECT unnest(?::JSON::VARCHAR[]))'}
       AND raw_value IS NOT NULL AND NOT isnan(raw_value)
     GROUP BY run_id, name
     ORDER BY run_id, name`,
    keys === undefined ? [listValue(runIds)] : [listValue(runIds), listValue(keys)],
  )
  return rows.map((row) => ({
    runId: String(row.run_id),
    key: String(row.name),
    aggregates: Object.fromEntries(
      Object.keys(AGGREGATE_SQL).map((name) => [name, Number(row[name])]),
    ) as SeriesAggregates,
  }))
}

/** The aggregates of one series, keyed `runId\u0000key`, for lookups. */
export function seriesIndex(series: readonly RunSeries[]): Map<string, SeriesAggregates> {
  return new Map(series.map((entry) => [seriesKey(entry.runId, entry.key), entry.aggregates]))
}

/** The lookup key of a run's series. */
export function seriesKey(runId: string, key: string): string {
  return `${runId}\u0000${key}`
}

function listValue(values: readonly string[]): string {
  // A DuckDB list literal passed as one VARCHAR parameter and cast, so any number of values is one statement.
  return JSON.stringify(values)
}
