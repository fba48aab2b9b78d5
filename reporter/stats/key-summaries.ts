/**
 * Pairing two runs input by input, in one DuckDB query: for each pair of runs (baseline, candidate) and
 * each key, the moments of each side over its inputs, the moments of the per-input differences over the
 * inputs present in both (matched by `input_key`), the discordant 0/1 pairs for McNemar's test, the trial
 * noise, what was left out — and the inputs that changed most, with the calls whose outputs stand for them.
 * Everything else (tests, intervals, verdicts) is computed from these few numbers.
 */
import type { Database } from '../store/database.js'
import { hasInputKeyColumns } from './input-key-columns.js'
import { keySummariesSql } from './key-summaries-sql.js'

/**
 * Two runs to compare: `baselineRunId` or `candidateRunId` is absent when the file ran in one session only.
 */
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
  /** Every input's mean over its trials is 0 or 1 (the run's interval is then Wilson's). */
  readonly binaryMeans: boolean
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
  /**
   * The inputs that changed most (largest |diff| first): at most `topInputs` that rose and as many that fell.
   */
  readonly changed: readonly ChangedInput[]
}

/** What to summarise. */
export interface SummaryOptions {
  /** Only these keys (default: every key of either run). */
  readonly keys?: readonly string[]
  /** Changed inputs kept per key and direction of change (default 0). */
  readonly topInputs?: number
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
  // Read chunk by chunk: a comparison may have a million keys, and only their summaries are kept.
  const result = await database.connection.stream(
    keySummariesSql(filterKeys, topInputs, await hasInputKeyColumns(database)),
    filterKeys ? [pairJson, JSON.stringify(options.keys)] : [pairJson],
  )
  const summaries: KeySummary[] = []
  for await (const rows of result.yieldRowObjectJs()) {
    for (const row of rows) summaries.push(summaryOf(row, topInputs))
  }
  return topInputs > 0 ? withSpans(database, pairs, summaries) : summaries
}

/** The columns of one side of a summary row (named once: a comparison may read a million rows). */
const SIDE_COLUMNS = {
  b: sideColumns('b'),
  c: sideColumns('c'),
}

function sideColumns(prefix: 'b' | 'c') {
  return {
    nonfinite: `${prefix}_nonfinite`,
    cached: `${prefix}_cached`,
    n: `${prefix}_n`,
    mean: `${prefix}_mean`,
    variance: `${prefix}_variance`,
    keyed: `${prefix}_keyed`,
    points: `${prefix}_points`,
    maxTrials: `${prefix}_max_trials`,
    binarySingle: `${prefix}_binary_single`,
    binaryMeans: `${prefix}_binary_means`,
  }
}

function summaryOf(row: Record<string, unknown>, topInputs: number): KeySummary {
  const side = (prefix: 'b' | 'c'): SideSummary | undefined => {
    const columns = SIDE_COLUMNS[prefix]
    // A side without a row of this key: the run did not record it (or there is no run).
    const nonFinite = row[columns.nonfinite]
    if (nonFinite === null || nonFinite === undefined) return undefined
    const n = count(row[columns.n])
    return {
      n,
      mean: n === 0 ? Number.NaN : number(row[columns.mean]),
      variance: number(row[columns.variance]),
      keyed: count(row[columns.keyed]),
      points: count(row[columns.points]),
      maxTrials: count(row[columns.maxTrials]),
      binarySingleTrial: row[columns.binarySingle] === true,
      binaryMeans: row[columns.binaryMeans] === true,
      nonFinite: count(nonFinite),
      cached: count(row[columns.cached]),
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
  const wantedType = '[{"run_id":"VARCHAR","name":"VARCHAR","input_key":"VARCHAR"}]'
  const rows = await database.query<{ run_id: string; name: string; input_key: string; span_id: string }>(
    `WITH wanted AS (
       SELECT * FROM (SELECT unnest(json_transform(?::JSON, '${wantedType}'), recursive := true))
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
