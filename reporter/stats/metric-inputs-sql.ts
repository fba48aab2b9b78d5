/**
 * The SQL that turns run-level points into calls and inputs, shared by the `metric_points`,
 * `metric_inputs` and `metric_stats` views and by the queries that compare runs (which restrict it to a
 * few runs at the base tables, so the work is proportional to those runs and not to the database).
 *
 * A point is one `run_metrics` row (`raw_value`) with its origin task's `input_key` and `trial`. A call
 * (one task call: a trial) combines its points of a key as the key says — summed for cost and latency keys
 * (a task's tokens are logged once per model call) and for `mode: 'sum'`, counted for `'count'`, their
 * minimum or maximum for `'min'`/`'max'`, averaged otherwise. An input is the `input_key`; without one
 * (older data, or a point logged outside any task) each call — or each point without a task — is an input
 * of its own. NaN and ±Infinity points are left out and counted, and so are the points of cost and latency
 * keys whose task made a model call answered from the response cache.
 */
import { CACHE_HIT_ATTRIBUTE, costOrLatencySql } from './cost-latency-keys.js'

/**
 * Restricts the SQL to some runs (and keys): SQL relations with a `run_id` (a `name`) column, e.g. CTE names.
 */
export interface RunRestriction {
  readonly runs?: string
  readonly keys?: string
  /** False for a database without `spans.input_key` and `spans.trial` (before schema 3): read as NULL. */
  readonly inputKeyColumns?: boolean
}

/** `AND <column> IN (SELECT run_id FROM <runs>)`, or nothing without a restriction. */
function onlyRuns(restriction: RunRestriction, column: string): string {
  return restriction.runs === undefined ? '' : `AND ${column} IN (SELECT run_id FROM ${restriction.runs})`
}

function onlyKeys(restriction: RunRestriction, column: string): string {
  return restriction.keys === undefined ? '' : `AND ${column} IN (SELECT name FROM ${restriction.keys})`
}

/** SQL of the keys: `name, cost_or_latency, call_reducer` ('mean' | 'sum' | 'count' | 'min' | 'max'). */
export function keyReducersSql(restriction: RunRestriction = {}): string {
  return `SELECT name, ${costOrLatencySql('name')} AS cost_or_latency,
    CASE WHEN ${costOrLatencySql('name')} OR mode = 'sum' THEN 'sum'
         WHEN mode IN ('count', 'min', 'max') THEN mode ELSE 'mean' END AS call_reducer
  FROM (
    SELECT name, any_value(mode) AS mode FROM run_metrics
    WHERE name IS NOT NULL ${onlyRuns(restriction, 'run_id')} ${onlyKeys(restriction, 'name')}
    GROUP BY name
  )`
}

/** SQL of the task calls whose model call was answered from the cache: `run_id, span_id`. */
export function cachedCallersSql(restriction: RunRestriction = {}): string {
  return `SELECT DISTINCT run_id, parent_id AS span_id FROM spans
  WHERE kind = 'span' AND parent_id IS NOT NULL ${onlyRuns(restriction, 'run_id')}
    AND json_extract_string(attributes, '$."${CACHE_HIT_ATTRIBUTE}"') = 'true'`
}

/** The `input_key` and `trial` columns of spans (NULL before schema 3). */
function spanInputsSql(restriction: RunRestriction): string {
  const columns = restriction.inputKeyColumns !== false
  return `SELECT run_id, span_id, ${columns ? 'input_key' : 'NULL::VARCHAR AS input_key'},
    ${columns ? 'coalesce(trial, 0)' : '0'} AS trial
  FROM spans WHERE span_id IS NOT NULL ${onlyRuns(restriction, 'run_id')}`
}

/**
 * SQL of the points: `run_id, name, span_id, seq, value, input_key, trial, input, finite, cached` — every
 * point with a usable-or-not flag (`finite`, and `cached` for cost/latency points of cached calls).
 */
export function metricPointsSql(restriction: RunRestriction = {}): string {
  return `SELECT r.run_id, r.name, r.span_id, r.seq, r.raw_value AS value, s.input_key,
    coalesce(s.trial, 0) AS trial,
    coalesce(s.input_key, 'call:' || r.span_id, 'point:' || coalesce(r.seq::VARCHAR, '')) AS input,
    isfinite(r.raw_value) AS finite, (c.span_id IS NOT NULL AND k.cost_or_latency) AS cached
  FROM run_metrics r
  JOIN (${keyReducersSql(restriction)}) k ON k.name = r.name
  LEFT JOIN (${spanInputsSql(restriction)}) s ON s.run_id = r.run_id AND s.span_id = r.span_id
  LEFT JOIN (${cachedCallersSql(restriction)}) c ON c.run_id = r.run_id AND c.span_id = r.span_id
  WHERE r.raw_value IS NOT NULL ${onlyRuns(restriction, 'r.run_id')}`
}

/** Extra columns a calls query carries from a runs relation (e.g. `pair`, `side` of a comparison). */
export interface CallsOptions extends RunRestriction {
  /** Columns of `runs` to carry onto every call (joined on `run_id`); needs `runs`. */
  readonly carry?: readonly string[]
}

/**
 * SQL of the usable calls: `run_id, [carried columns,] name, span_id, input_key, trial, input, value,
 * points` — one row per task call and key (per point for points without a task), its value the points
 * combined by the key's reducer.
 */
export function metricCallsSql(options: CallsOptions = {}): string {
  const carry = options.carry ?? []
  const runs = options.runs
  const carried = carry.map((column) => `p.${column}`)
  const group = [
    'r.run_id',
    ...carried,
    'r.name',
    'k.call_reducer',
    'r.span_id',
    'CASE WHEN r.span_id IS NULL THEN r.seq END',
  ]
  return `SELECT r.run_id, ${carried.map((column) => `${column}, `).join('')}r.name, r.span_id,
    any_value(s.input_key) AS input_key, min(s.trial) AS trial,
    coalesce(any_value(s.input_key), 'call:' || r.span_id,
      'point:' || coalesce(any_value(r.seq)::VARCHAR, '')) AS input,
    CASE k.call_reducer WHEN 'sum' THEN sum(r.raw_value) WHEN 'count' THEN count(*)::DOUBLE
      WHEN 'min' THEN min(r.raw_value) WHEN 'max' THEN max(r.raw_value) ELSE avg(r.raw_value) END AS value,
    count(*) AS points
  FROM run_metrics r
  ${carry.length > 0 && runs !== undefined ? `JOIN ${runs} p ON p.run_id = r.run_id` : ''}
  JOIN (${keyReducersSql(options)}) k ON k.name = r.name
  LEFT JOIN (${spanInputsSql(options)}) s ON s.run_id = r.run_id AND s.span_id = r.span_id
  LEFT JOIN (${cachedCallersSql(options)}) c ON c.run_id = r.run_id AND c.span_id = r.span_id
  WHERE isfinite(r.raw_value) AND NOT (c.span_id IS NOT NULL AND k.cost_or_latency)
    ${carry.length > 0 ? '' : onlyRuns(options, 'r.run_id')}
  GROUP BY ${group.join(', ')}`
}

/**
 * SQL of the inputs over a relation of calls (`calls`, e.g. a CTE of {@link metricCallsSql}):
 * `run_id, name, input, input_key, trials, points, mean, min, max, median, passes, is_binary,
 * trial_variance, first_span_id` — `passes` counts trials whose value is 1, `is_binary` says every trial
 * is 0 or 1, `trial_variance` is the sample variance of the trials (NULL for one trial), `first_span_id`
 * the call of the lowest trial (whose output stands for the input).
 */
export function metricInputsSql(calls: string): string {
  return `SELECT run_id, name, input, any_value(input_key) AS input_key,
    count(*) AS trials, sum(points) AS points,
    avg(value) AS mean, min(value) AS min, max(value) AS max, median(value) AS median,
    count(*) FILTER (WHERE value = 1) AS passes,
    bool_and(value = 0 OR value = 1) AS is_binary,
    var_samp(value) AS trial_variance,
    arg_min(span_id, trial) AS first_span_id
  FROM ${calls}
  GROUP BY run_id, name, input`
}

/** SQL of the points left out: `run_id, name, n_nonfinite, n_cached` (over a relation of points). */
export function leftOutSql(points: string): string {
  return `SELECT run_id, name, count(*) FILTER (WHERE NOT finite) AS n_nonfinite,
    count(*) FILTER (WHERE finite AND cached) AS n_cached
  FROM ${points} GROUP BY run_id, name`
}
