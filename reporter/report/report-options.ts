/**
 * What shapes a report: the plugin options it reads (`topN`, `rankBy`, `thresholds`) and the caps that
 * keep one file small whatever the size of the session.
 */

/** Options of a report, as in the plugin options; every field has a default. */
export interface ReportOptions {
  /** Candidates shown per task label (default 5, at most {@link REPORT_LIMITS}.maxTopN). */
  readonly topN?: number
  /** Metric that ranks the candidates of a label: `{ label: metric }` (default: the label's first scorer). */
  readonly rankBy?: Readonly<Record<string, string>>
  /**
   * Threshold expressions per run-level key (`{ 'summarize.latency': ['p95 <= 900'] }`): a key whose
   * expressions all bound it from above (`<`, `<=`) is one where lower is better.
   */
  readonly thresholds?: Readonly<Record<string, readonly string[]>>
  /**
   * The session each run is compared with (`latest`, an id, an id prefix, a git sha — the plugin's
   * `baseline` option); default: the latest earlier session that ran the same file.
   */
  readonly baseline?: string | undefined
}

/** Caps that bound the size of a report; whatever is left out is counted ("and N more"). */
export const REPORT_LIMITS = {
  /** Runs shown in one report. */
  maxRuns: 100,
  /** Run-level metric keys shown per run. */
  maxMetricKeys: 60,
  /** Bars of each metric's distribution. */
  histogramBins: 20,
  /** Failures shown per run. */
  maxFailures: 20,
  /** Task labels with candidates shown per run. */
  maxLabels: 30,
  /** Largest `topN` honoured. */
  maxTopN: 50,
  /** Inputs (and, separately, outputs) shown per task. */
  maxValuesPerTask: 10,
  /** Scores shown per candidate. */
  maxScores: 12,
  /** Characters of a stored value shown in a candidate. */
  candidateValueChars: 1_000,
  /** Characters of a stored value shown in a failure. */
  failureValueChars: 2_000,
  /** Characters of an error message shown. */
  errorChars: 2_000,
  /** Characters of a stack trace shown. */
  stackChars: 6_000,
  /** Keys of a run whose changed inputs are shown in its comparison (regressed first). */
  maxComparedKeysWithInputs: 5,
  /** Inputs shown per key and direction (most regressed, most improved). */
  changedInputsPerSide: 3,
  /** Characters of an output (or input) shown beside its counterpart. */
  comparisonValueChars: 300,
} as const

/** Options with their defaults filled in and `topN` clamped to the cap. */
export interface ResolvedReportOptions {
  readonly topN: number
  readonly rankBy: Readonly<Record<string, string>>
  readonly thresholds: Readonly<Record<string, readonly string[]>>
  readonly baseline: string | undefined
}

/** Fills in the defaults of report options. */
export function resolveReportOptions(options: ReportOptions = {}): ResolvedReportOptions {
  const topN = options.topN ?? 5
  if (!Number.isInteger(topN) || topN < 0) {
    throw new TypeError(`strikes: report option "topN" must be a whole number >= 0 (got ${String(topN)})`)
  }
  return {
    topN: Math.min(topN, REPORT_LIMITS.maxTopN),
    rankBy: options.rankBy ?? {},
    thresholds: options.thresholds ?? {},
    baseline: options.baseline,
  }
}
