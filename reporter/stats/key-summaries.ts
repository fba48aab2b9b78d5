/**
 * Pairing two runs input by input, in one DuckDB query: for each pair of runs (baseline, candidate) and
 * each key, the moments of each side over its inputs, the moments of the per-input differences over the
 * inputs present in both (matched by `input_key`), the discordant 0/1 pairs for McNemar's test, the trial
 * noise, what was left out — and the inputs that changed most, with the calls whose outputs stand for them.
 * Everything else (tests, intervals, verdicts) is computed from these few numbers.
 */
import type { Database } from '../store/database.js'
import { hasInputKeyColumns } from './input-key-columns.js'
import { cachedCallersSql, keyReducersSql } from './metric-inputs-sql.js'

/** Two runs to compare: `baselineRunId` or `candidateRunId` is absent when the file ran in one session only. */
export interface RunPair {
  readonly baselineRunId: string | undefined
  readonly candidateRunId: string | undefined
}

/** One side of a key: its inputs after trials are averaged. */
export interface SideSummary {
  /** Inputs with a usable value. */
  readonly n: number
  readonly mean: number
  /** Sample variance of the per-input values (NaN below 2 inputs). */
  readonly variance: number
  /** Inputs that carry an `input_key`. */
  readonly keyed: number
  readonly points: number
  readonly maxTrials: number
  /** Every input is 0/1 with one trial. */
  readonly binarySingleTrial: boolean
  /** NaN/±Infinity points left out. */
  readonly nonFinite: number
  /** Cost/latency points of cached model calls left out. */
  readonly cached: number
}

/** The inputs present on both sides. */
export interface PairedSummary {
  readonly n: number
  readonly meanDiff: number
  readonly varianceDiff: number
  readonly baselineMean: number
  readonly candidateMean: number
  /** Inputs whose 0/1 value went from 1 to 0, and from 0 to 1. */
  readonly oneToZero: number
  readonly zeroToOne: number
  /** Every paired input is 0/1 with one trial on both sides. */
  readonly binarySingleTrial: boolean
  /** Mean within-input trial variance (NaN with one trial) and mean trials per input, per side. */
  readonly withinBaseline: number
  readonly withinCandidate: number
  readonly trialsBaseline: number
  readonly trialsCandidate: number
}

/** An input whose value changed, with the calls standing for it on each side. */
export interface ChangedInput {
  readonly inputKey: string
  readonly baseline: number
  readonly candidate: number
  readonly diff: number
  readonly baselineSpanId: string | null
  readonly candidateSpanId: string | null
}

/** Everything known about one key of one pair of runs. */
export interface KeySummary {
  /** Index of the pair in the list given. */
  readonly pair: number
  readonly key: string
  readonly baseline: SideSummary | undefined
  readonly candidate: SideSummary | undefined
  readonly paired: PairedSummary | undefined
  /** The inputs that changed most (largest |diff| first): at most `topInputs` that rose and as many that fell. */
  readonly changed: readonly ChangedInput[]
}

/** What to summarise. */
export interface SummaryOptions {
  /** Only these keys (default: every key of either run). */
  readonly keys?: readonly string[]
  /** Changed inputs kept per key and direction of change (default 0). */
  readonly topInputs?: number
}

const PAIRS_TYPE = '[{"pair":"INTEGER","baseline_run":"VARCHAR","candidate_run":"VARCHAR"}]'

/**
 * The SQL of the summaries; parameters: the pairs (JSON), then the keys (JSON) when `filterKeys`. It
 * follows `metricCallsSql` (the same calls, reducers and exclusions) with integer keys for speed: each
 * span of the compared runs gets a number and each input key a dense rank, calls are grouped on them, and
 * both sessions' calls are grouped into one row per input (side-filtered aggregates), so pairing needs no
 * join; input keys are looked up again only for the inputs listed.
 */
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
      bool_and(${prefix}_trials = 1 AND ${prefix}_other = 0) FILTER (WHERE ${prefix}_trials > 0) AS ${prefix}_binary_single`
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
      CASE call_reducer WHEN 'sum' THEN 1 WHEN 'count' THEN 2 WHEN 'min' THEN 3 WHEN 'max' THEN 4 ELSE 0 END AS reducer_no
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
        coalesce(s.input_no, -coalesce(s.span_no, 1000000000000 + 2 * coalesce(r.seq, 0) + p.side)) AS input_no,
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
      bool_and(b_trials = 1 AND c_trials = 1 AND b_other = 0 AND c_other = 0) FILTER (WHERE ${paired}) AS p_binary_single,
      avg(b_within) FILTER (WHERE ${paired}) AS p_b_within, avg(c_within) FILTER (WHERE ${paired}) AS p_c_within,
      avg(b_trials) FILTER (WHERE ${paired}) AS p_b_trials, avg(c_trials) FILTER (WHERE ${paired}) AS p_c_trials,
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
    SELECT l.pair, l.key_no, list(struct_pack(input_key := m.input_key, b_mean := l.b_mean, c_mean := l.c_mean)) AS changed
    FROM listed l
    JOIN (SELECT DISTINCT input_no, input_key FROM span_numbers WHERE input_no IN (SELECT input_no FROM listed)) m
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

/** Summaries of every key of every pair of runs, ordered by pair then key. */
export async function loadKeySummaries(
  database: Database,
  pairs: readonly RunPair[],
  options: SummaryOptions = {},
): Promise<KeySummary[]> {
  if (pairs.length === 0 || options.keys?.length === 0) return []
  const pairJson = JSON.stringify(
    pairs.map((pair, index) => ({
      pair: index,
      baseline_run: pair.baselineRunId ?? null,
      candidate_run: pair.candidateRunId ?? null,
    })),
  )
  const filterKeys = options.keys !== undefined
  const topInputs = options.topInputs ?? 0
  const rows = await database.query<Record<string, unknown>>(
    keySummariesSql(filterKeys, topInputs, await hasInputKeyColumns(database)),
    filterKeys ? [pairJson, JSON.stringify(options.keys)] : [pairJson],
  )
  const summaries = rows.map((row) => summaryOf(row, topInputs))
  return topInputs > 0 ? withSpans(database, pairs, summaries) : summaries
}

function summaryOf(row: Record<string, unknown>, topInputs: number): KeySummary {
  const side = (prefix: 'b' | 'c'): SideSummary | undefined => {
    const excluded = {
      nonFinite: count(row[`${prefix}_nonfinite`]),
      cached: count(row[`${prefix}_cached`]),
    }
    // A side without a row of this key: the run did not record it (or there is no run).
    if (row[`${prefix}_nonfinite`] === null || row[`${prefix}_nonfinite`] === undefined) return undefined
    const n = count(row[`${prefix}_n`])
    return {
      n,
      mean: n === 0 ? Number.NaN : number(row[`${prefix}_mean`]),
      variance: number(row[`${prefix}_variance`]),
      keyed: count(row[`${prefix}_keyed`]),
      points: count(row[`${prefix}_points`]),
      maxTrials: count(row[`${prefix}_max_trials`]),
      binarySingleTrial: row[`${prefix}_binary_single`] === true,
      ...excluded,
    }
  }
  const pairedCount = count(row.p_n)
  const paired: PairedSummary | undefined =
    pairedCount === 0
      ? undefined
      : {
          n: pairedCount,
          meanDiff: number(row.p_mean_diff),
          varianceDiff: number(row.p_variance_diff),
          baselineMean: number(row.p_b_mean),
          candidateMean: number(row.p_c_mean),
          oneToZero: count(row.p_one_to_zero),
          zeroToOne: count(row.p_zero_to_one),
          binarySingleTrial: row.p_binary_single === true,
          withinBaseline: number(row.p_b_within),
          withinCandidate: number(row.p_c_within),
          trialsBaseline: number(row.p_b_trials),
          trialsCandidate: number(row.p_c_trials),
        }
  const changed =
    topInputs === 0
      ? []
      : list(row.changed)
          .map((entry): ChangedInput => {
            const baseline = number(entry.b_mean)
            const candidate = number(entry.c_mean)
            return {
              inputKey: String(entry.input_key),
              baseline,
              candidate,
              diff: candidate - baseline,
              baselineSpanId: null,
              candidateSpanId: null,
            }
          })
          .sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff) || a.inputKey.localeCompare(b.inputKey))
  return {
    pair: count(row.pair),
    key: String(row.name),
    baseline: side('b'),
    candidate: side('c'),
    paired,
    changed,
  }
}

/** Fills in the call that stands for each changed input on each side: the one of its lowest trial. */
async function withSpans(
  database: Database,
  pairs: readonly RunPair[],
  summaries: readonly KeySummary[],
): Promise<KeySummary[]> {
  const wanted = summaries.flatMap((summary) => {
    const pair = pairs[summary.pair]
    return summary.changed.flatMap((input) =>
      [pair?.baselineRunId, pair?.candidateRunId]
        .filter((runId): runId is string => runId !== undefined)
        .map((runId) => ({ run_id: runId, name: summary.key, input_key: input.inputKey })),
    )
  })
  if (wanted.length === 0) return [...summaries]
  const rows = await database.query<{ run_id: string; name: string; input_key: string; span_id: string }>(
    `WITH wanted AS (
       SELECT * FROM (SELECT unnest(json_transform(?::JSON, '[{"run_id":"VARCHAR","name":"VARCHAR","input_key":"VARCHAR"}]'), recursive := true))
     )
     SELECT w.run_id, w.name, w.input_key, arg_min(s.span_id, (coalesce(s.trial, 0), s.span_id)) AS span_id
     FROM wanted w
     JOIN spans s ON s.run_id = w.run_id AND s.input_key = w.input_key
     -- A key is <label>.<metric> and labels have no dots: the task calls of the key are those of its label.
     WHERE s.label = split_part(w.name, '.', 1)
       AND s.run_id IN (SELECT DISTINCT run_id FROM wanted)
       AND s.input_key IN (SELECT input_key FROM wanted)
     GROUP BY ALL`,
    [JSON.stringify(wanted)],
  )
  const found = new Map(
    rows.map((row) => [`${row.run_id}\u0000${row.name}\u0000${row.input_key}`, row.span_id]),
  )
  return summaries.map((summary) => {
    const pair = pairs[summary.pair]
    const spanOf = (runId: string | undefined, inputKey: string): string | null =>
      runId === undefined ? null : (found.get(`${runId}\u0000${summary.key}\u0000${inputKey}`) ?? null)
    return {
      ...summary,
      changed: summary.changed.map((input) => ({
        ...input,
        baselineSpanId: spanOf(pair?.baselineRunId, input.inputKey),
        candidateSpanId: spanOf(pair?.candidateRunId, input.inputKey),
      })),
    }
  })
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : []
}

function count(value: unknown): number {
  if (typeof value === 'bigint') return Number(value)
  return typeof value === 'number' ? value : 0
}

function number(value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'bigint') return Number(value)
  return Number.NaN
}
