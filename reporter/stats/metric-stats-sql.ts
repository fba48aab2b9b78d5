/**
 * The statistics of a run, in DuckDB SQL: for every run-level key and per-input reducer (`mean`, `min`,
 * `max`, `median` over an input's trials), the number of inputs and points, the mean over inputs, its
 * standard deviation and standard error (trials are reduced per input first, so repeated trials are not
 * counted as independent samples), and a 95% interval — Student t with n − 1 degrees of freedom, or
 * Wilson's when every per-input value is 0 or 1. This is the `metric_stats` view, and the query the
 * report and the gates run restricted to the runs they need.
 *
 * DuckDB has no t quantile, so the SQL carries t₀.₉₇₅ for 1–200 degrees of freedom (computed here
 * by `studentTQuantile`) and above that the Cornish–Fisher expansion in 1/ν, within 1e-12 of the exact
 * value.
 */
import {
  leftOutSql,
  metricCallsSql,
  metricInputsSql,
  metricPointsSql,
  type RunRestriction,
} from './metric-inputs-sql.js'
import { studentTQuantile } from './student-t.js'
import { Z_975 } from './wilson-interval.js'

/** The per-input reducers of `metric_stats`, in their order. */
export const REDUCERS = ['mean', 'min', 'max', 'median'] as const

/** A per-input reducer over trials. */
export type Reducer = (typeof REDUCERS)[number]

/** A number as a SQL DOUBLE literal (a bare decimal literal would be read as DECIMAL). */
function double(value: number): string {
  return `${value}::DOUBLE`
}

/** Degrees of freedom up to which the SQL uses tabulated t quantiles. */
const TABLE_DF = 200

/** `(df, t₀.₉₇₅)` rows for df = 1…200. */
function tQuantileRows(): string {
  const rows: string[] = []
  for (let df = 1; df <= TABLE_DF; df++) rows.push(`(${df}, ${double(studentTQuantile(0.975, df))})`)
  return rows.join(', ')
}

/** The Cornish–Fisher expansion of t₀.₉₇₅ at `df` (a SQL expression), for df > 200. */
function cornishFisherSql(df: string): string {
  const z = Z_975
  const z2 = z * z
  const g1 = (z * (z2 + 1)) / 4
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160
  return (
    `(${double(z)} + (${double(g1)} + (${double(g2)} + ` +
    `(${double(g3)} + ${double(g4)} / ${df}) / ${df}) / ${df}) / ${df})`
  )
}

/** Wilson's 95% interval end (`sign` −1 low, +1 high) for proportion `p` of `n` (SQL expressions). */
function wilsonSql(p: string, n: string, sign: -1 | 1): string {
  const z = double(Z_975)
  const z2 = double(Z_975 * Z_975)
  const centre = `((${p} + ${z2} / (2 * ${n})) / (1 + ${z2} / ${n}))`
  const half = `((${z} / (1 + ${z2} / ${n})) * sqrt(${p} * (1 - ${p}) / ${n} + ${z2} / (4 * ${n} * ${n})))`
  return sign < 0 ? `greatest(0, ${centre} - ${half})` : `least(1, ${centre} + ${half})`
}

/**
 * SQL of the run statistics: `run_id, name, reducer, n_inputs, n_points, min_trials, max_trials, mean, sd,
 * se, ci_low, ci_high, interval ('t' | 'wilson'), is_binary, keyed, n_nonfinite, n_cached` — one row per
 * run, key and reducer (of `reducers`, all by default) for every key with a point (statistics NULL when
 * no point is usable).
 */
export function metricStatsSql(
  restriction: RunRestriction = {},
  reducers: readonly Reducer[] = REDUCERS,
): string {
  const n = 'm.n_inputs::DOUBLE'
  const tq =
    `CASE WHEN m.n_inputs - 1 <= ${TABLE_DF} THEN t.q ` +
    `ELSE ${cornishFisherSql('(m.n_inputs - 1)::DOUBLE')} END`
  // Only the reducers asked for are referenced, so DuckDB computes no other per-input aggregate (medians).
  const reducerCases = reducers.map((reducer) => `WHEN '${reducer}' THEN i.${reducer}`).join(' ')
  const reducerValue = `CASE r.reducer ${reducerCases} END`
  return `WITH stat_calls AS (${metricCallsSql(restriction)}),
  stat_inputs AS (${metricInputsSql('stat_calls')}),
  stat_keys AS (${leftOutSql(`(${metricPointsSql(restriction)})`)}),
  reducers(reducer, position) AS (
    VALUES ${reducers.map((reducer, index) => `('${reducer}', ${index})`).join(', ')}
  ),
  reduced AS (
    SELECT i.run_id, i.name, r.reducer, i.trials, i.points, i.input_key, ${reducerValue} AS value
    FROM stat_inputs i CROSS JOIN reducers r
  ),
  moments AS (
    SELECT run_id, name, reducer, count(*) AS n_inputs, sum(points) AS n_points,
      min(trials) AS min_trials, max(trials) AS max_trials, avg(value) AS mean, stddev_samp(value) AS sd,
      bool_and(value = 0 OR value = 1) AS is_binary, count(input_key) = count(*) AS keyed
    FROM reduced GROUP BY run_id, name, reducer
  ),
  t975(df, q) AS (VALUES ${tQuantileRows()})
  SELECT k.run_id, k.name, r.reducer,
    coalesce(m.n_inputs, 0) AS n_inputs, coalesce(m.n_points, 0) AS n_points, m.min_trials, m.max_trials,
    m.mean, m.sd, m.sd / sqrt(${n}) AS se,
    CASE WHEN m.is_binary THEN ${wilsonSql('m.mean', n, -1)}
         WHEN m.n_inputs >= 2 THEN m.mean - ${tq} * m.sd / sqrt(${n}) END AS ci_low,
    CASE WHEN m.is_binary THEN ${wilsonSql('m.mean', n, 1)}
         WHEN m.n_inputs >= 2 THEN m.mean + ${tq} * m.sd / sqrt(${n}) END AS ci_high,
    CASE WHEN m.is_binary THEN 'wilson' WHEN m.n_inputs >= 2 THEN 't' END AS interval,
    coalesce(m.is_binary, false) AS is_binary, coalesce(m.keyed, false) AS keyed,
    k.n_nonfinite, k.n_cached
  FROM stat_keys k CROSS JOIN reducers r
  LEFT JOIN moments m ON m.run_id = k.run_id AND m.name = k.name AND m.reducer = r.reducer
  LEFT JOIN t975 t ON t.df = m.n_inputs - 1`
}

/** The statements of schema migration 4: the views `metric_points`, `metric_inputs`, `metric_stats`. */
export function metricStatsViewStatements(): string[] {
  return [
    `CREATE VIEW metric_points AS ${metricPointsSql()}`,
    `CREATE VIEW metric_inputs AS ${metricInputsSql(`(${metricCallsSql()})`)}`,
    `CREATE VIEW metric_stats AS ${metricStatsSql()}`,
  ]
}
