/**
 * Pairing two runs input by input, in one DuckDB query: for each pair of runs (baseline, candidate) and
 * each key, the moments of each side over its inputs, the moments of the per-input differences over the
 * inputs present in both (matched by `input_key`), the discordant 0/1 pairs for McNemar's test, the trial
 * noise, what was left out — and the inputs that changed most, with the calls whose outputs stand for them.
 * Everything else (tests, intervals, verdicts) is computed from these few numbers.
 */
import type { Database } from '../store/database.js'
import { hasInputKeyColumns } from './input-key-columns.js'
import { metricInputsSql, metricPointsSql } from './metric-inputs-sql.js'

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

/** The SQL of the summaries; parameters: the pairs (JSON), then the keys (JSON) when `keys` is set. */
export function keySummariesSql(filterKeys: boolean, topInputs: number, inputKeyColumns = true): string {
  const side = (prefix: string, alias: string, excluded: string): string =>
    `${alias}.n AS ${prefix}_n, ${alias}.mean AS ${prefix}_mean, ${alias}.variance AS ${prefix}_variance,
     ${alias}.keyed AS ${prefix}_keyed, ${alias}.points AS ${prefix}_points, ${alias}.max_trials AS ${prefix}_max_trials,
     ${alias}.binary_single AS ${prefix}_binary_single, ${excluded}.nonfinite AS ${prefix}_nonfinite,
     ${excluded}.cached AS ${prefix}_cached`
  return `WITH run_pairs AS (
    SELECT * FROM (SELECT unnest(json_transform(?::JSON, '${PAIRS_TYPE}'), recursive := true))
  ),
  pair_runs AS (
    SELECT baseline_run AS run_id FROM run_pairs WHERE baseline_run IS NOT NULL
    UNION SELECT candidate_run FROM run_pairs WHERE candidate_run IS NOT NULL
  ),
  ${filterKeys ? `pair_keys AS (SELECT unnest(?::JSON::VARCHAR[]) AS name),` : ''}
  points AS MATERIALIZED (${metricPointsSql({ runs: 'pair_runs', inputKeyColumns, ...(filterKeys ? { keys: 'pair_keys' } : {}) })}),
  inputs AS MATERIALIZED (${metricInputsSql('points')}),
  excluded AS (
    SELECT run_id, name, count(*) FILTER (WHERE NOT finite) AS nonfinite,
      count(*) FILTER (WHERE finite AND cached) AS cached
    FROM points GROUP BY run_id, name
  ),
  sides AS (
    SELECT run_id, name, count(*) AS n, avg(mean) AS mean, var_samp(mean) AS variance,
      count(input_key) AS keyed, sum(points) AS points, max(trials) AS max_trials,
      bool_and(is_binary AND trials = 1) AS binary_single
    FROM inputs GROUP BY run_id, name
  ),
  base AS (SELECT p.pair, i.* FROM inputs i JOIN run_pairs p ON i.run_id = p.baseline_run WHERE i.input_key IS NOT NULL),
  cand AS (SELECT p.pair, i.* FROM inputs i JOIN run_pairs p ON i.run_id = p.candidate_run WHERE i.input_key IS NOT NULL),
  matched AS (
    SELECT b.pair, b.name, b.input_key, b.mean AS b_mean, c.mean AS c_mean, c.mean - b.mean AS diff,
      b.is_binary AND c.is_binary AND b.trials = 1 AND c.trials = 1 AS binary_single,
      b.trial_variance AS b_within, c.trial_variance AS c_within, b.trials AS b_trials, c.trials AS c_trials,
      b.first_span_id AS b_span, c.first_span_id AS c_span
    FROM base b JOIN cand c ON c.pair = b.pair AND c.name = b.name AND c.input_key = b.input_key
  ),
  paired AS (
    SELECT pair, name, count(*) AS n, avg(diff) AS mean_diff, var_samp(diff) AS variance_diff,
      avg(b_mean) AS b_mean, avg(c_mean) AS c_mean,
      count(*) FILTER (WHERE b_mean = 1 AND c_mean = 0) AS one_to_zero,
      count(*) FILTER (WHERE b_mean = 0 AND c_mean = 1) AS zero_to_one,
      bool_and(binary_single) AS binary_single,
      avg(b_within) AS b_within, avg(c_within) AS c_within, avg(b_trials) AS b_trials, avg(c_trials) AS c_trials
    FROM matched GROUP BY pair, name
  ),
  changed AS (
    SELECT pair, name,
      list(struct_pack(input_key, b_mean, c_mean, diff, b_span, c_span) ORDER BY abs(diff) DESC, input_key) AS inputs
    FROM (
      SELECT * FROM matched WHERE diff <> 0
      QUALIFY row_number() OVER (PARTITION BY pair, name, diff > 0 ORDER BY abs(diff) DESC, input_key)
        <= ${Math.max(0, Math.floor(topInputs))}
    ) GROUP BY pair, name
  ),
  pair_keys_all AS (
    SELECT p.pair, e.name FROM run_pairs p JOIN excluded e ON e.run_id = p.baseline_run
    UNION SELECT p.pair, e.name FROM run_pairs p JOIN excluded e ON e.run_id = p.candidate_run
  )
  SELECT k.pair, k.name,
    ${side('b', 'bs', 'be')}, ${side('c', 'cs', 'ce')},
    pd.n AS p_n, pd.mean_diff AS p_mean_diff, pd.variance_diff AS p_variance_diff, pd.b_mean AS p_b_mean,
    pd.c_mean AS p_c_mean, pd.one_to_zero AS p_one_to_zero, pd.zero_to_one AS p_zero_to_one,
    pd.binary_single AS p_binary_single, pd.b_within AS p_b_within, pd.c_within AS p_c_within,
    pd.b_trials AS p_b_trials, pd.c_trials AS p_c_trials, ch.inputs AS changed
  FROM pair_keys_all k JOIN run_pairs p ON p.pair = k.pair
  LEFT JOIN sides bs ON bs.run_id = p.baseline_run AND bs.name = k.name
  LEFT JOIN sides cs ON cs.run_id = p.candidate_run AND cs.name = k.name
  LEFT JOIN excluded be ON be.run_id = p.baseline_run AND be.name = k.name
  LEFT JOIN excluded ce ON ce.run_id = p.candidate_run AND ce.name = k.name
  LEFT JOIN paired pd ON pd.pair = k.pair AND pd.name = k.name
  LEFT JOIN changed ch ON ch.pair = k.pair AND ch.name = k.name
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
  const rows = await database.query<Record<string, unknown>>(
    keySummariesSql(filterKeys, options.topInputs ?? 0, await hasInputKeyColumns(database)),
    filterKeys ? [pairJson, JSON.stringify(options.keys)] : [pairJson],
  )
  return rows.map(summaryOf)
}

function summaryOf(row: Record<string, unknown>): KeySummary {
  const side = (prefix: 'b' | 'c'): SideSummary | undefined => {
    const excluded = {
      nonFinite: count(row[`${prefix}_nonfinite`]),
      cached: count(row[`${prefix}_cached`]),
    }
    if (row[`${prefix}_n`] === null || row[`${prefix}_n`] === undefined) {
      if (row[`${prefix}_nonfinite`] === null || row[`${prefix}_nonfinite`] === undefined) return undefined
      return {
        n: 0,
        mean: Number.NaN,
        variance: Number.NaN,
        keyed: 0,
        points: 0,
        maxTrials: 0,
        binarySingleTrial: false,
        ...excluded,
      }
    }
    return {
      n: count(row[`${prefix}_n`]),
      mean: number(row[`${prefix}_mean`]),
      variance: number(row[`${prefix}_variance`]),
      keyed: count(row[`${prefix}_keyed`]),
      points: count(row[`${prefix}_points`]),
      maxTrials: count(row[`${prefix}_max_trials`]),
      binarySingleTrial: row[`${prefix}_binary_single`] === true,
      ...excluded,
    }
  }
  const paired: PairedSummary | undefined =
    row.p_n === null || row.p_n === undefined
      ? undefined
      : {
          n: count(row.p_n),
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
  const changed = (Array.isArray(row.changed) ? row.changed : []).map((entry): ChangedInput => {
    const item = entry as Record<string, unknown>
    return {
      inputKey: String(item.input_key),
      baseline: number(item.b_mean),
      candidate: number(item.c_mean),
      diff: number(item.diff),
      baselineSpanId: item.b_span === null ? null : String(item.b_span),
      candidateSpanId: item.c_span === null ? null : String(item.c_span),
    }
  })
  return {
    pair: count(row.pair),
    key: String(row.name),
    baseline: side('b'),
    candidate: side('c'),
    paired,
    changed,
  }
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
