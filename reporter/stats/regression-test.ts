/**
 * The test behind the `no regression` gate: is the candidate significantly worse than the baseline — by
 * more than a margin, with `no regression beyond <margin>`? A one-sided test at 5% on the paired
 * differences oriented so that negative is worse (the exact one-sided McNemar test for 0/1 scores with one
 * trial and no margin; Welch's test when inputs cannot be paired). Reports the 90% interval of the
 * difference (its upper end is the one-sided 95% bound the test uses), the p-value, the minimum detectable
 * effect, and how many inputs — or trials per input — would detect the margin.
 */
import { binomialTestLess } from './binomial-test.js'
import { ALPHA, type MetricDirection } from './comparison-verdict.js'
import { type ComparisonMethod, comparisonBasis } from './key-comparison.js'
import type { KeySummary } from './key-summaries.js'
import { inputsToDetect, minimumDetectableEffect, trialsToDetect } from './sample-size.js'
import { tInterval, tTestLess } from './t-test.js'

/** The level of the interval a regression gate shows: two-sided 90% = one-sided 95%. */
export const REGRESSION_INTERVAL_LEVEL = 1 - 2 * ALPHA

/** The outcome of the test. */
export interface RegressionTest {
  readonly method: ComparisonMethod
  /** False when there was too little to test (then nothing below is set). */
  readonly tested: boolean
  /** Significantly worse (by more than the margin): the gate fails. */
  readonly regressed: boolean
  /** candidate − baseline, as recorded (not oriented). */
  readonly diff: number | undefined
  readonly ciLow: number | undefined
  readonly ciHigh: number | undefined
  readonly pValue: number | undefined
  readonly mde: number | undefined
  /** Paired inputs (inputs of the candidate, unpaired). */
  readonly n: number
  /**
   * Inputs (per side, unpaired) that would detect the margin — or, without one, a drop the size observed.
   */
  readonly nNeeded: number | undefined
  /** Trials per input that would, with the inputs there are (needs ≥ 2 trials per input to estimate). */
  readonly trialsNeeded: number | undefined
  readonly notes: readonly string[]
}

/** Tests whether the candidate regressed by more than `margin` (≥ 0) in the key's direction. */
export function regressionTest(summary: KeySummary, direction: MetricDirection, margin = 0): RegressionTest {
  const basis = comparisonBasis(summary)
  const paired = summary.paired
  const n = basis.method === 'Welch' ? (summary.candidate?.n ?? 0) : (paired?.n ?? 0)
  const estimate = basis.estimate
  if (estimate === undefined) {
    return {
      method: basis.method,
      tested: false,
      regressed: false,
      diff: undefined,
      ciLow: undefined,
      ciHigh: undefined,
      pValue: undefined,
      mde: undefined,
      n,
      nNeeded: undefined,
      trialsNeeded: undefined,
      notes: basis.notes,
    }
  }
  const sign = direction === 'higher-is-better' ? 1 : -1
  const oriented = { ...estimate, estimate: sign * estimate.estimate }
  const mcnemar = basis.method === 'McNemar' && margin === 0 && paired !== undefined
  const regressions = direction === 'higher-is-better' ? paired?.oneToZero : paired?.zeroToOne
  const improvements = direction === 'higher-is-better' ? paired?.zeroToOne : paired?.oneToZero
  const pValue = mcnemar
    ? binomialTestLess(improvements ?? 0, (improvements ?? 0) + (regressions ?? 0))
    : tTestLess(oriented, -margin)
  const interval = tInterval(estimate, REGRESSION_INTERVAL_LEVEL)
  const observedDrop = -oriented.estimate
  const delta = margin > 0 ? margin : observedDrop > 0 ? observedDrop : undefined
  const nNeeded =
    delta === undefined || basis.sdDiff === undefined ? undefined : inputsToDetect(basis.sdDiff, delta)
  const trialsNeeded =
    delta === undefined || paired === undefined || basis.method === 'Welch'
      ? undefined
      : trialsToDetect(
          {
            n: paired.n,
            varianceDiff: paired.varianceDiff,
            withinBaseline: paired.withinBaseline,
            withinCandidate: paired.withinCandidate,
            trialsBaseline: paired.trialsBaseline,
            trialsCandidate: paired.trialsCandidate,
          },
          delta,
        )
  return {
    method: mcnemar ? 'McNemar' : basis.method === 'McNemar' ? 'paired t' : basis.method,
    tested: true,
    regressed: pValue < ALPHA,
    diff: estimate.estimate,
    ciLow: interval.low,
    ciHigh: interval.high,
    pValue,
    mde: minimumDetectableEffect(estimate.se),
    n,
    nNeeded,
    trialsNeeded,
    notes: basis.notes,
  }
}
