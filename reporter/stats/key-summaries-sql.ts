/**
 * The SQL that pairs two runs input by input, for every key at once (`loadKeySummaries` runs it). It
 * follows `metricCallsSql` — the same calls, reducers and exclusions — laid out for speed at 100,000s of
 * inputs, where the time goes into hash aggregates over every point:
 *
 * - each span of the compared runs gets a number, each input key a number and a flag saying whether the
 *   input has several task calls (trials) in one run;
 * - the points of inputs with one call per run (nearly all) go straight into the one aggregate that pairs
 *   both sessions into a row per input (side-filtered sums), the key's reducer applied there; only the
 *   points of inputs with several calls are first grouped into calls and then into per-side inputs;
 * - the points left out (NaN/±Infinity, cached cost and latency) are counted from those points alone.
 *
 * Input keys are looked up again only for the inputs listed.
 */
import { cachedCallersSql, keyReducersSql } from './metric-inputs-sql.js'

/** The JSON type of the pairs parameter. */
const PAIRS_TYPE = '[{"pair":"INTEGER","baseline_run":"VARCHAR","candidate_run":"VARCHAR"}]'

/** `key_reducers.reducer_no` of each call reducer. */
const REDUCER = { mean: 0, sum: 1, count: 2, min: 3, max: 4 } as const

/**
 * A point's value as the pairing aggregate sums it: 1 for `count` keys (a call's count is the sum of its
 * ones), negated for `max` keys (so that one `min` serves `min` and `max`), as recorded otherwise.
 */
function signedValue(reducer: string, value: string): string {
  return `CASE ${reducer} WHEN ${REDUCER.count} THEN 1::DOUBLE WHEN ${REDUCER.max} THEN -${value} ELSE ${value} END`
}

/** The usable points of the compared runs (`r`), joined to their key (`k`), their span (`s`, by `spanJoin`) and cache. */
function usablePointsFrom(spanJoin: string): string {
  return `FROM run_metrics r
      JOIN run_keys k ON k.run_id = r.run_id AND k.name = r.name
      ${spanJoin}
      LEFT JOIN cached_callers c ON c.run_id = r.run_id AND c.span_id = r.span_id
      WHERE isfinite(r.raw_value) AND NOT (c.span_id IS NOT NULL AND k.cost_or_latency)`
}

/** Per-side sums of the pairing aggregate (`index` 0 is the baseline, 1 the candidate). */
function sideSums(prefix: 'b' | 'c', index: 0 | 1): string {
  return `count(*) FILTER (WHERE side = ${index}) AS ${prefix}_rows,
      sum(points) FILTER (WHERE side = ${index}) AS ${prefix}_points,
      sum(value) FILTER (WHERE side = ${index}) AS ${prefix}_sum,
      min(value) FILTER (WHERE side = ${index} AND reducer_no >= ${REDUCER.min}) AS ${prefix}_extreme`
}

/** A side's mean over its calls: the reducer over its points (one call), or the one row of a trials input. */
function sideMean(prefix: 'b' | 'c'): string {
  return `CASE WHEN ${prefix}_rows = 0 THEN NULL
      WHEN reducer_no = ${REDUCER.mean} THEN ${prefix}_sum / ${prefix}_rows
      WHEN reducer_no = ${REDUCER.min} THEN ${prefix}_extreme WHEN reducer_no = ${REDUCER.max} THEN -${prefix}_extreme
      ELSE ${prefix}_sum END AS ${prefix}_mean`
}

/** A side's per-input columns: from its trials input (`t`) when it has one, else from its single call. */
function sideInput(prefix: 'b' | 'c', trials: string): string {
  return `CASE WHEN ${trials}.trials IS NOT NULL THEN ${trials}.trials WHEN ${prefix}_rows > 0 THEN 1 ELSE 0 END
        AS ${prefix}_trials,
      ${prefix}_points, ${prefix}_mean,
      CASE WHEN ${trials}.trials IS NOT NULL THEN ${trials}.other
        WHEN ${prefix}_mean <> 0 AND ${prefix}_mean <> 1 THEN 1 ELSE 0 END AS ${prefix}_other,
      ${trials}.within AS ${prefix}_within`
}

/** The moments of one side over its inputs. */
function sideSummary(prefix: 'b' | 'c'): string {
  return `count(${prefix}_mean) AS ${prefix}_n, avg(${prefix}_mean) AS ${prefix}_mean,
      var_samp(${prefix}_mean) AS ${prefix}_variance,
      count(${prefix}_mean) FILTER (WHERE input_no > 0) AS ${prefix}_keyed,
      sum(${prefix}_points) AS ${prefix}_points, max(${prefix}_trials) AS ${prefix}_max_trials,
      bool_and(${prefix}_trials = 1 AND ${prefix}_other = 0) FILTER (WHERE ${prefix}_trials > 0)
        AS ${prefix}_binary_single,
      bool_and(${prefix}_mean = 0 OR ${prefix}_mean = 1) AS ${prefix}_binary_means`
}

/** The SQL of the summaries; parameters: the pairs (JSON), then the keys (JSON) when `filterKeys`. */
export function keySummariesSql(filterKeys: boolean, topInputs: number, inputKeyColumns = true): string {
  const restriction = { runs: 'pair_runs', inputKeyColumns, ...(filterKeys ? { keys: 'pair_keys' } : {}) }
  const top = Math.max(1, Math.floor(topInputs))
  const paired = 'input_no > 0 AND b_mean IS NOT NULL AND c_mean IS NOT NULL'
  const inputKey = inputKeyColumns ? 'input_key' : 'NULL::VARCHAR'
  const trial = inputKeyColumns ? 'coalesce(trial, 0)' : '0'
  return `WITH run_pairs AS (
    SELECT * FROM (SELECT unnest(json_transform(?::JSON, '${PAIRS_TYPE}'), recursive := true))
  ),
  pair_runs AS (
    SELECT baseline_run AS run_id, pair, 0 AS side FROM run_pairs WHERE baseline_run IS NOT NULL
    UNION ALL SELECT candidate_run, pair, 1 FROM run_pairs WHERE candidate_run IS NOT NULL
  ),
  -- A number per compared run: points find their span on (run_no, span_id), one string instead of two.
  run_numbers AS MATERIALIZED (
    SELECT run_id, row_number() OVER () AS run_no FROM (SELECT DISTINCT run_id FROM pair_runs)
  ),
  ${filterKeys ? 'pair_keys AS (SELECT unnest(?::JSON::VARCHAR[]) AS name),' : ''}
  key_reducers AS MATERIALIZED (
    SELECT *, row_number() OVER (ORDER BY name) AS key_no,
      CASE call_reducer WHEN 'sum' THEN ${REDUCER.sum} WHEN 'count' THEN ${REDUCER.count}
        WHEN 'min' THEN ${REDUCER.min} WHEN 'max' THEN ${REDUCER.max} ELSE ${REDUCER.mean} END AS reducer_no
    FROM (${keyReducersSql(restriction)})
  ),
  cached_callers AS MATERIALIZED (${cachedCallersSql(restriction)}),
  -- Every key of every compared run, so that a point finds its pair, side and key in one join.
  run_keys AS (
    SELECT p.run_id, n.run_no, k.name, p.pair, p.side, k.key_no, k.reducer_no, k.cost_or_latency
    FROM pair_runs p JOIN run_numbers n USING (run_id) CROSS JOIN key_reducers k
  ),
  -- input_no: the same number for the same input key in every run; trials: its key has several spans in a run.
  span_numbers AS MATERIALIZED (
    SELECT run_no, span_id, input_key, trial, span_no,
      CASE WHEN input_key IS NOT NULL THEN min(span_no) OVER (PARTITION BY input_key) END AS input_no,
      input_key IS NOT NULL AND count(*) OVER (PARTITION BY run_no, input_key) > 1 AS trials
    FROM (
      SELECT n.run_no, s.span_id, ${inputKey} AS input_key, ${trial} AS trial, row_number() OVER () AS span_no
      FROM spans s JOIN run_numbers n ON n.run_id = s.run_id WHERE s.span_id IS NOT NULL
    )
  ),
  -- Points of inputs with one call per run; without a span, each point (by seq) is a call and an input.
  single_call_points AS (
    SELECT k.pair, k.side, k.key_no, k.reducer_no, ${signedValue('k.reducer_no', 'r.raw_value')} AS value,
      coalesce(s.input_no, -coalesce(s.span_no, 1000000000000 + 2 * coalesce(r.seq, 0) + k.side)) AS input_no
    ${usablePointsFrom('LEFT JOIN span_numbers s ON s.run_no = k.run_no AND s.span_id = r.span_id')}
      AND NOT coalesce(s.trials, false)
  ),
  trial_calls AS (
    SELECT pair, side, key_no, any_value(input_no) AS input_no,
      CASE any_value(reducer_no) WHEN ${REDUCER.mean} THEN avg(value) WHEN ${REDUCER.min} THEN min(value)
        WHEN ${REDUCER.max} THEN -min(value) ELSE sum(value) END AS value,
      count(*) AS points
    FROM (
      SELECT k.pair, k.side, k.key_no, k.reducer_no, ${signedValue('k.reducer_no', 'r.raw_value')} AS value,
        s.span_no, s.input_no
      ${usablePointsFrom('JOIN span_numbers s ON s.run_no = k.run_no AND s.span_id = r.span_id AND s.trials')}
    )
    GROUP BY pair, side, key_no, span_no
  ),
  trial_inputs AS MATERIALIZED (
    SELECT pair, side, key_no, input_no, count(*) AS trials, sum(points) AS points, avg(value) AS mean,
      count(*) FILTER (WHERE value <> 0 AND value <> 1) AS other, var_samp(value) AS within
    FROM trial_calls GROUP BY pair, side, key_no, input_no
  ),
  -- Both sides of every input in one row: single-call points, and one row per trials input and side.
  input_sums AS (
    SELECT pair, key_no, input_no, any_value(reducer_no) AS reducer_no, ${sideSums('b', 0)}, ${sideSums('c', 1)}
    FROM (
      SELECT pair, side, key_no, reducer_no, input_no, value, 1 AS points FROM single_call_points
      UNION ALL
      SELECT t.pair, t.side, t.key_no, k.reducer_no, t.input_no,
        CASE k.reducer_no WHEN ${REDUCER.max} THEN -t.mean ELSE t.mean END, t.points
      FROM trial_inputs t JOIN key_reducers k ON k.key_no = t.key_no
    )
    GROUP BY pair, key_no, input_no
  ),
  inputs AS (
    SELECT i.pair, i.key_no, i.input_no, ${sideInput('b', 'bt')}, ${sideInput('c', 'ct')}
    FROM (SELECT *, ${sideMean('b')}, ${sideMean('c')} FROM input_sums) i
    LEFT JOIN trial_inputs bt ON bt.pair = i.pair AND bt.side = 0 AND bt.key_no = i.key_no AND bt.input_no = i.input_no
    LEFT JOIN trial_inputs ct ON ct.pair = i.pair AND ct.side = 1 AND ct.key_no = i.key_no AND ct.input_no = i.input_no
  ),
  summaries AS (
    SELECT pair, key_no, ${sideSummary('b')}, ${sideSummary('c')},
      count(diff) AS p_n, avg(diff) AS p_mean_diff, var_samp(diff) AS p_variance_diff,
      avg(CASE WHEN paired THEN b_mean END) AS p_b_mean, avg(CASE WHEN paired THEN c_mean END) AS p_c_mean,
      count(CASE WHEN paired AND b_mean = 1 AND c_mean = 0 THEN 1 END) AS p_one_to_zero,
      count(CASE WHEN paired AND b_mean = 0 AND c_mean = 1 THEN 1 END) AS p_zero_to_one,
      bool_and(CASE WHEN paired THEN b_trials = 1 AND c_trials = 1 AND b_other = 0 AND c_other = 0 END)
        AS p_binary_single,
      avg(CASE WHEN paired THEN b_within END) AS p_b_within,
      avg(CASE WHEN paired THEN c_within END) AS p_c_within,
      avg(CASE WHEN paired THEN b_trials END) AS p_b_trials,
      avg(CASE WHEN paired THEN c_trials END) AS p_c_trials,
      arg_max(CASE WHEN diff > 0 THEN struct_pack(input_no, b_mean, c_mean) END, diff, ${top})
        FILTER (WHERE diff > 0) AS rose,
      arg_min(CASE WHEN diff < 0 THEN struct_pack(input_no, b_mean, c_mean) END, diff, ${top})
        FILTER (WHERE diff < 0) AS fell
    FROM (
      SELECT *, ${paired} AS paired, CASE WHEN ${paired} THEN c_mean - b_mean END AS diff FROM inputs
    )
    GROUP BY pair, key_no
  ),
  listed AS (
    SELECT pair, key_no, unnest(coalesce(rose, []) || coalesce(fell, []), recursive := true) FROM summaries
  ),
  listed_keys AS (
    SELECT l.pair, l.key_no,
      list(struct_pack(input_key := m.input_key, b_mean := l.b_mean, c_mean := l.c_mean)) AS changed
    FROM listed l
    JOIN (
      SELECT DISTINCT input_no, input_key FROM span_numbers
      WHERE input_no IN (SELECT input_no FROM listed)
    ) m
      ON m.input_no = l.input_no
    GROUP BY l.pair, l.key_no
  ),
  -- A side has a key when it has a usable point of it (its sum of points is then not NULL) or a point
  -- left out: NaN/±Infinity (kind 1), or a cost/latency point of a cached call (kind 2).
  left_out AS (
    SELECT pair, side, key_no, count(*) FILTER (WHERE kind = 1) AS nonfinite,
      count(*) FILTER (WHERE kind = 2) AS cached
    FROM (
      SELECT pair, key_no, 0 AS side, 0 AS kind FROM summaries WHERE b_points IS NOT NULL
      UNION ALL SELECT pair, key_no, 1, 0 FROM summaries WHERE c_points IS NOT NULL
      UNION ALL
      SELECT k.pair, k.key_no, k.side, 1 FROM run_metrics r JOIN run_keys k ON k.run_id = r.run_id AND k.name = r.name
      WHERE NOT isfinite(r.raw_value)
      UNION ALL
      SELECT k.pair, k.key_no, k.side, 2 FROM run_metrics r JOIN run_keys k ON k.run_id = r.run_id AND k.name = r.name
      JOIN cached_callers c ON c.run_id = r.run_id AND c.span_id = r.span_id
      WHERE isfinite(r.raw_value) AND k.cost_or_latency
    )
    GROUP BY pair, side, key_no
  ),
  pair_keys_all AS (SELECT DISTINCT l.pair, k.name, k.key_no FROM left_out l JOIN key_reducers k USING (key_no))
  SELECT k.pair, k.name, s.* EXCLUDE (pair, key_no, rose, fell), lk.changed,
    be.nonfinite AS b_nonfinite, be.cached AS b_cached, ce.nonfinite AS c_nonfinite, ce.cached AS c_cached
  FROM pair_keys_all k
  LEFT JOIN summaries s ON s.pair = k.pair AND s.key_no = k.key_no
  LEFT JOIN listed_keys lk ON lk.pair = k.pair AND lk.key_no = k.key_no
  LEFT JOIN left_out be ON be.pair = k.pair AND be.key_no = k.key_no AND be.side = 0
  LEFT JOIN left_out ce ON ce.pair = k.pair AND ce.key_no = k.key_no AND ce.side = 1
  ORDER BY k.pair, k.name`
}
