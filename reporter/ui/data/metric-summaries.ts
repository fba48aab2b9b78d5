/**
 * The metric summary of each run of a session, with strikes' own SQL over `run_metrics` (the file's
 * `metric_summary` view is never read): per run-level key count, mean, min, max, p50, p95, the distribution
 * of raw values binned in SQL, and the change of the mean against the same file's run in the previous
 * session (a regression when it moved the wrong way for the key); and the 95% interval of each mean over
 * inputs from strikes' statistics (`metric_stats`, as the report shows it).
 */
import { binExpression } from '../../report/histogram.js'
import {
  type MetricBinRow,
  type MetricSummaryRow,
  type RunMetrics,
  runMetricViews,
} from '../../report/metric-summaries.js'
import { loadRunIntervals, type RunInterval } from '../../stats/run-intervals.js'
import { statisticsFit } from '../strikes-statistics.js'
import type { UiDatabase } from './database-lease.js'
import { sqlStringList } from './rows-by-number.js'

/** Keys shown per run; the rest are counted. */
const MAX_KEYS = 60
const BINS = 20

/** The summary of one run. */
export type RunMetricSummary = RunMetrics

const SUMMARY = `
  cur AS (SELECT run_id, project, name, started_at FROM runs WHERE session_id = ?),
  prev AS (
    SELECT c.run_id, p.run_id AS prev_run_id
    FROM cur c JOIN runs p ON p.project IS NOT DISTINCT FROM c.project AND p.name = c.name
      AND p.session_id <> ? AND p.started_at < c.started_at
    QUALIFY row_number() OVER (PARTITION BY c.run_id ORDER BY p.started_at DESC, p.run_id DESC) = 1
  ),
  summary AS (
    SELECT m.run_id, m.name, count(*) AS count, avg(m.raw_value) AS avg, min(m.raw_value) AS min,
      max(m.raw_value) AS max, quantile_cont(m.raw_value, [0.5, 0.95]) AS quantiles
    FROM run_metrics m WHERE m.run_id IN (SELECT run_id FROM cur) GROUP BY m.run_id, m.name
  ),
  shown AS (
    SELECT *, count(*) OVER (PARTITION BY run_id) AS keys FROM summary
    QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY name) <= ${MAX_KEYS}
  )`

/** Loads the summary of every run of a session, keyed by run id (memoised while the file is unchanged). */
export function loadMetricSummaries(
  db: UiDatabase,
  sessionId: string,
  thresholds: Readonly<Record<string, readonly string[]>>,
): Promise<Map<string, RunMetricSummary>> {
  return db.memo.get(`metric-summaries:${sessionId}:${JSON.stringify(thresholds)}`, async () => {
    const rows = await db.database.query<MetricSummaryRow>(
      `WITH ${SUMMARY},
       prev_avg AS (
         SELECT m.run_id, m.name, avg(m.raw_value) AS avg FROM run_metrics m
         WHERE m.run_id IN (SELECT prev_run_id FROM prev) GROUP BY m.run_id, m.name
       )
       SELECT s.run_id, s.name, s.count, s.avg, s.min, s.max, s.quantiles[1] AS p50, s.quantiles[2] AS p95,
         s.keys, pa.avg AS prev_avg
       FROM shown s LEFT JOIN prev ON prev.run_id = s.run_id
         LEFT JOIN prev_avg pa ON pa.run_id = prev.prev_run_id AND pa.name = s.name
       ORDER BY s.run_id, s.name`,
      [sessionId, sessionId],
    )
    // Bins over each shown key's range (from the summary above), counted without computing the quantiles
    // again.
    const ranges = rows.filter(
      (row) => row.min !== null && row.max !== null && Number.isFinite(row.min) && Number.isFinite(row.max),
    )
    const bins =
      ranges.length === 0
        ? []
        : await db.database.query<MetricBinRow>(
            `WITH s(run_id, name, min, max) AS (
               VALUES ${ranges.map(() => '(?::VARCHAR, ?::VARCHAR, ?::DOUBLE, ?::DOUBLE)').join(', ')}
             )
             SELECT r.run_id, r.name, ${binExpression('r.raw_value', 's.min', 's.max', BINS)} AS bin,
               count(*) AS n
             FROM run_metrics r JOIN s ON s.run_id = r.run_id AND s.name = r.name
             WHERE r.run_id IN (${sqlStringList(ranges.map((row) => row.run_id))}) AND r.raw_value IS NOT NULL
               AND isfinite(r.raw_value)
             GROUP BY ALL`,
            ranges.flatMap((row) => [row.run_id, row.name, row.min as number, row.max as number]),
          )
    // Left out (no interval shown) for runs too large for the UI's statistics, or when they fail.
    const runIds = [...new Set(rows.map((row) => row.run_id))]
    const intervals = (await statisticsFit(db.database, runIds))
      ? await loadRunIntervals(db.database, runIds, [...new Set(rows.map((row) => row.name))]).catch(
          () => new Map<string, RunInterval>(),
        )
      : new Map<string, RunInterval>()
    return runMetricViews(rows, bins, {
      bins: BINS,
      thresholds,
      intervals,
      nameOf: (name) => name,
      rangeOf: (row) => [
        Number.isFinite(row.min) ? (row.min ?? 0) : 0,
        Number.isFinite(row.max) ? (row.max ?? 0) : 0,
      ],
    })
  })
}
