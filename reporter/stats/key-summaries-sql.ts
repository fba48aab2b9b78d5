/**
 * The SQL that pairs two runs input by input, for every key at once (`loadKeySummaries` runs it). It
 * follows `metricCallsSql` — the same calls, reducers and exclusions — with integer keys for speed: each
 * span of the compared runs gets a number and each input key a dense rank, calls are grouped on them, and
 * both sessions' calls are grouped into one row per input (side-filtered aggregates), so pairing needs no
 * join; input keys are looked up again only for the inputs listed.
 */
import { cachedCallersSql, keyReducersSql } from './metric-inputs-sql.js'

/** The JSON type of the pairs parameter. */
const PAIRS_TYPE = '[{"pair":"INTEGER","baseline_run":"VARCHAR","candidate_run":"VARCHAR"}]'

/** The SQL of the summaries; parameters: the pairs (JSON), then the keys (JSON) when `filterKeys`. */
export function keySummariesSql(filterKeys: boolean, topInputs: number, inputKeyColumns = true): string {
  const restriction = { runs: 'pair_runs', inputKeyColumns, ...(filterKeys ? { keys: 'pair_keys' } : {}) }
  const top = Math.max(1, Math.floor(topInputs))
  const paired = 'input_no > 0 AND b_mean IS NOT NULL AND c_mean IS NOT NULL'
  const side = (prefix: 'b' | 'c', index: 0 | 1): string =>
    `count(*) FILTER (WHERE side = ${index}) AS ${prefix}_trials,
      sum(points) FILTER (WHERE side = ${index}) AS ${prefix}_points,
      avg(value) FILTER (WHERE side = ${index}) AS ${prefix}_mean,
      count(*) FILTER (WHERE side = ${index} AND value <> 0 AND value <> 1) AS ${prefix}_other,
      var_samp(value) FILTER (WHERE side = ${index}) AS ${prefix}_within`
  const sideSummary = (prefix: 'b' | 'c'): string =>
    `count(${prefix}_mean) AS ${prefix}_n, avg(${prefix}_mean) AS ${prefix}_mean,
      var_samp(${prefix}_mean) AS ${prefix}_variance,
      count(${prefix}_mean) FILTER (WHERE input_no > 0) AS ${prefix}_keyed,
      sum(${prefix}_points) AS ${prefix}_points, max(${prefix}_trials) AS ${prefix}_max_trials,
      bool_and(${prefix}_trials = 1 AND ${prefix}_other = 0) FILTER (WHERE ${prefix}_trials > 0)
        AS ${prefix}_binary_single,
      bool_and(${prefix}_mean = 0 OR ${prefix}_mean = 1) AS ${prefix}_binary_means`
  const inputKey = inputKeyColumns ? 'input_key' : 'NULL::VARCHAR'
  const trial = inputKeyColumns ? 'coalesce(trial, 0)' : '0'
  return `WITH run_pairs AS (
    SELECT * FROM (SELECT unnest(json_transform(?::JSON, '${PAIRS_TYPE}'), recursive := true))
  ),
  pair_runs AS (
    SELECT baseline_run AS run_id, pair, 0 AS side FROM run_pairs WHERE baseline_run IS NOT NULL
    UNION ALL SELECT candidate_run, pair, 1 FROM run_pairs WHERE candidate_run IS NOT NULL
  ),
  ${filterKeys ? 'pair_keys AS (SELECT unnest(?::JSON::VARCHAR[]) AS name),' : ''}
  key_reducers AS MATERIALIZED (
    SELECT *, row_number() OVER (ORDER BY name) AS key_no,
      CASE call_reducer WHEN 'sum' THEN 1 WHEN 'count' THEN 2 WHEN 'min' THEN 3 WHEN 'max' THEN 4 ELSE 0 END
        AS reducer_no
    FROM (${keyReducersSql(restriction)})
  ),
  cached_callers AS MATERIALIZED (${cachedCallersSql(restriction)}),
  span_numbers AS MATERIALIZED (
    SELECT run_id, span_id, ${inputKey} AS input_key, ${trial} AS trial, row_number() OVER () AS span_no,
      CASE WHEN ${inputKey} IS NOT NULL THEN dense_rank() OVER (ORDER BY ${inputKey}) END AS input_no
    FROM spans WHERE span_id IS NOT NULL AND run_id IN (SELECT run_id FROM pair_runs)
  ),
  calls AS (
    SELECT pair_side, key_no, reducer_no, input_no,
      CASE reducer_no WHEN 1 THEN sum(value) WHEN 2 THEN count(*)::DOUBLE WHEN 3 THEN min(value)
        WHEN 4 THEN max(value) ELSE avg(value) END AS value,
      count(*) AS points
    FROM (
      SELECT 2 * p.pair + p.side AS pair_side, k.key_no, k.reducer_no, r.raw_value AS value,
        coalesce(s.span_no, -1 - coalesce(r.seq, 0)) AS call_no,
        coalesce(s.input_no, -coalesce(s.span_no, 1000000000000 + 2 * coalesce(r.seq, 0) + p.side))
          AS input_no,
        coalesce(s.trial, 0) AS trial
      FROM run_metrics r
      JOIN pair_runs p ON p.run_id = r.run_id
      JOIN key_reducers k ON k.name = r.name
      LEFT JOIN span_numbers s ON s.run_id = r.run_id AND s.span_id = r.span_id
      LEFT JOIN cached_callers c ON c.run_id = r.run_id AND c.span_id = r.span_id
      WHERE isfinite(r.raw_value) AND NOT (c.span_id IS NOT NULL AND k.cost_or_latency)
    )
    GROUP BY pair_side, key_no, reducer_no, call_no, input_no, trial
  ),
  inputs AS (
    SELECT pair_side // 2 AS pair, key_no, input_no, ${side('b', 0)}, ${side('c', 1)}
    FROM (SELECT *, pair_side % 2 AS side FROM calls) GROUP BY pair_side // 2, key_no, input_no
  ),
  summaries AS (
    SELECT pair, key_no, ${sideSummary('b')}, ${sideSummary('c')},
      count(*) FILTER (WHERE ${paired}) AS p_n,
      avg(c_mean - b_mean) FILTER (WHERE ${paired}) AS p_mean_diff,
      var_samp(c_mean - b_mean) FILTER (WHERE ${paired}) AS p_variance_diff,
      avg(b_mean) FILTER (WHERE ${paired}) AS p_b_mean, avg(c_mean) FILTER (WHERE ${paired}) AS p_c_mean,
      count(*) FILTER (WHERE ${paired} AND b_mean = 1 AND c_mean = 0) AS p_one_to_zero,
      count(*) FILTER (WHERE ${paired} AND b_mean = 0 AND c_mean = 1) AS p_zero_to_one,
      bool_and(b_trials = 1 AND c_trials = 1 AND b_other = 0 AND c_other = 0) FILTER (WHERE ${paired})
        AS p_binary_single,
      avg(b_within) FILTER (WHERE ${paired}) AS p_b_within,
      avg(c_within) FILTER (WHERE ${paired}) AS p_c_within,
      avg(b_trials) FILTER (WHERE ${paired}) AS p_b_trials,
      avg(c_trials) FILTER (WHERE ${paired}) AS p_c_trials,
      arg_max(struct_pack(input_no, b_mean, c_mean), c_mean - b_mean, ${top})
        FILTER (WHERE ${paired} AND c_mean > b_mean) AS rose,
      arg_min(struct_pack(input_no, b_mean, c_mean), c_mean - b_mean, ${top})
        FILTER (WHERE ${paired} AND c_mean < b_mean) AS fell
    FROM inputs GROUP BY pair, key_no
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
  left_out AS (
    SELECT p.pair, p.side, r.name, count(*) FILTER (WHERE NOT isfinite(r.raw_value)) AS nonfinite,
      count(c.span_id) FILTER (WHERE isfinite(r.raw_value) AND k.cost_or_latency) AS cached
    FROM run_metrics r JOIN pair_runs p ON p.run_id = r.run_id
    JOIN key_reducers k ON k.name = r.name
    LEFT JOIN cached_callers c ON c.run_id = r.run_id AND c.span_id = r.span_id
    WHERE r.raw_value IS NOT NULL
    GROUP BY p.pair, p.side, r.name
  ),
  pair_keys_all AS (SELECT DISTINCT l.pair, l.name, k.key_no FROM left_out l JOIN key_reducers k USING (name))
  SELECT k.pair, k.name, s.* EXCLUDE (pair, key_no, rose, fell), lk.changed,
    be.nonfinite AS b_nonfinite, be.cached AS b_cached, ce.nonfinite AS c_nonfinite, ce.cached AS c_cached
  FROM pair_keys_all k
  LEFT JOIN summaries s ON s.pair = k.pair AND s.key_no = k.key_no
  LEFT JOIN listed_keys lk ON lk.pair = k.pair AND lk.key_no = k.key_no
  LEFT JOIN left_out be ON be.pair = k.pair AND be.name = k.name AND be.side = 0
  LEFT JOIN left_out ce ON ce.pair = k.pair AND ce.name = k.name AND ce.side = 1
  ORDER BY k.pair, k.name`
}
