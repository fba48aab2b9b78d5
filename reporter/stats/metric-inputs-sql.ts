/**
 * The SQL that turns run-level points into inputs, shared by the `metric_points` and `metric_inputs` views
 * and by the queries that compare sessions (which restrict it to a few runs at the base tables, so the
 * work is proportional to those runs and not to the database).
 *
 * A point is one `run_metrics` row (`raw_value`) with its origin task's `input_key` and `trial`. Its input
 * is the `input_key`; without one (older data, or a point logged outside any task) each task call — or
 * each point without a task — is an input of its own. A call's value is the mean of its points (normally
 * one); an input's trials are its calls. NaN and ±Infinity points are left out and counted, and so are
 * the points of cost and latency keys whose task made a model call answered from the response cache.
 */
import { CACHE_HIT_ATTRIBUTE, costOrLatencySql } from './cost-latency-keys.js'

/** Restricts the SQL to some runs (and keys): SQL relations with a `run_id` (a `name`) column, e.g. CTE names. */
export interface RunRestriction {
  readonly runs?: string
  readonly keys?: string
  /** False for a database without `spans.input_key` and `spans.trial` (before schema 3): read as NULL. */
  readonly inputKeyColumns?: boolean
}

/** SQL of the points: `run_id, name, span_id, seq, value, input_key, trial, input, finite, cached`. */
export function metricPointsSql(restriction: RunRestriction = {}): string {
  const only = (column: string): string =>
    restriction.runs === undefined ? '' : `AND ${column} IN (SELECT run_id FROM ${restriction.runs})`
  const columns = restriction.inputKeyColumns !== false
  const inputKey = columns ? 's.input_key' : 'NULL::VARCHAR'
  const trial = columns ? 's.trial' : 'NULL::INTEGER'
  return `SELECT r.run_id, r.name, r.span_id, r.seq, r.raw_value AS value, ${inputKey} AS input_key,
    coalesce(${trial}, 0) AS trial,
    coalesce(${inputKey}, 'call:' || r.span_id, 'point:' || coalesce(r.seq::VARCHAR, '')) AS input,
    isfinite(r.raw_value) AS finite,
    (c.span_id IS NOT NULL AND ${costOrLatencySql('r.name')}) AS cached
  FROM run_metrics r
  LEFT JOIN spans s ON s.run_id = r.run_id AND s.span_id = r.span_id
  LEFT JOIN (
    SELECT DISTINCT run_id, parent_id AS span_id FROM spans
    WHERE kind = 'span' AND parent_id IS NOT NULL ${only('run_id')}
      AND json_extract_string(attributes, '$."${CACHE_HIT_ATTRIBUTE}"') = 'true'
  ) c ON c.run_id = r.run_id AND c.span_id = r.span_id
  WHERE r.raw_value IS NOT NULL AND r.name IS NOT NULL ${only('r.run_id')}
    ${restriction.keys === undefined ? '' : `AND r.name IN (SELECT name FROM ${restriction.keys})`}`
}

/**
 * SQL of the inputs over a relation of points (`points`, e.g. a CTE of {@link metricPointsSql}):
 * `run_id, name, input, input_key, trials, points, mean, min, max, median, passes, is_binary,
 * trial_variance, first_span_id` — `passes` counts trials whose value is 1, `is_binary` says every trial is
 * 0 or 1, `trial_variance` is the sample variance of the trials (NULL for one trial), `first_span_id` the
 * call of the lowest trial (whose output stands for the input).
 */
export function metricInputsSql(points: string): string {
  return `SELECT run_id, name, input, any_value(input_key) AS input_key,
    count(*) AS trials, sum(points) AS points,
    avg(value) AS mean, min(value) AS min, max(value) AS max, median(value) AS median,
    count(*) FILTER (WHERE value = 1) AS passes,
    bool_and(value = 0 OR value = 1) AS is_binary,
    var_samp(value) AS trial_variance,
    arg_min(span_id, (trial, span_id)) AS first_span_id
  FROM (
    SELECT run_id, name, input, any_value(input_key) AS input_key, span_id, min(trial) AS trial,
      avg(value) AS value, count(*) AS points
    FROM ${points}
    WHERE finite AND NOT cached
    GROUP BY run_id, name, input, span_id
  ) calls
  GROUP BY run_id, name, input`
}
