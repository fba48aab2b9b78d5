/**
 * The verdict of one key in a comparison of two sessions: `regressed` when the whole 95% interval of the
 * change lies on the worse side of zero, `improved` when on the better side, `no_change` otherwise, and
 * `insufficient_data` below 2 paired inputs (2 per side unpaired). A verdict also needs the Holm-adjusted
 * p-value below 5% — for the t-test the interval and the unadjusted p always agree, so this only matters
 * across several keys and for the exact McNemar test.
 */

/** Every comparison verdict, in the order they are listed. */
export const COMPARISON_VERDICTS = ['regressed', 'improved', 'no_change', 'insufficient_data'] as const

/** The verdict of one key in a comparison. */
export type ComparisonVerdict = (typeof COMPARISON_VERDICTS)[number]

/** Which way a key improves. */
export type MetricDirection = 'higher-is-better' | 'lower-is-better'

/** The significance level of comparisons and gates. */
export const ALPHA = 0.05

/** What a verdict is decided from. */
export interface VerdictInput {
  /** False below 2 paired inputs (2 per side unpaired), or when nothing could be computed. */
  readonly sufficient: boolean
  readonly ciLow: number
  readonly ciHigh: number
  readonly pAdjusted: number | undefined
  readonly direction: MetricDirection
}

/** The verdict of one key. */
export function comparisonVerdict(input: VerdictInput): ComparisonVerdict {
  if (!input.sufficient || Number.isNaN(input.ciLow) || Number.isNaN(input.ciHigh)) return 'insufficient_data'
  const significant = input.pAdjusted !== undefined && input.pAdjusted < ALPHA
  if (!significant) return 'no_change'
  const higherIsBetter = input.direction === 'higher-is-better'
  if (input.ciHigh < 0) return higherIsBetter ? 'regressed' : 'improved'
  if (input.ciLow > 0) return higherIsBetter ? 'improved' : 'regressed'
  return 'no_change'
}
