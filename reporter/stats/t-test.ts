/**
 * t-tests and t intervals from an estimate, its standard error and degrees of freedom — the one shape the
 * paired test (mean of differences, sd/√n, n − 1) and Welch's test (difference of means, Welch–
 * Satterthwaite df) share. A standard error of 0 (zero variance) gives a point interval and a p-value of
 * 0 or 1 rather than NaN.
 */
import { studentTCdf, studentTQuantile, studentTSurvival } from './student-t.js'

/** An estimate with its standard error and degrees of freedom. */
export interface TEstimate {
  readonly estimate: number
  readonly se: number
  readonly df: number
}

/** The two-sided interval at `level` (0.95 by default): estimate ± t_{(1+level)/2, df} · se. */
export function tInterval(e: TEstimate, level = 0.95): { readonly low: number; readonly high: number } {
  if (e.se === 0) return { low: e.estimate, high: e.estimate }
  const t = studentTQuantile(1 - (1 - level) / 2, e.df)
  return { low: e.estimate - t * e.se, high: e.estimate + t * e.se }
}

/** The two-sided p-value of H₀: the true value is `nullValue` (0 by default). */
export function tTestTwoSided(e: TEstimate, nullValue = 0): number {
  const distance = Math.abs(e.estimate - nullValue)
  if (e.se === 0) return distance === 0 ? 1 : 0
  return Math.min(1, 2 * studentTSurvival(distance / e.se, e.df))
}

/**
 * The one-sided p-value of H₀: true value ≥ `bound` against H₁: true value < `bound` (small when the
 * estimate is well below it).
 */
export function tTestLess(e: TEstimate, bound: number): number {
  if (e.se === 0) return e.estimate < bound ? 0 : 1
  return studentTCdf((e.estimate - bound) / e.se, e.df)
}

/** The paired estimate of a mean difference from n differences with the given mean and variance. */
export function pairedEstimate(n: number, meanDiff: number, varianceDiff: number): TEstimate {
  return { estimate: meanDiff, se: Math.sqrt(Math.max(0, varianceDiff) / n), df: n - 1 }
}

/** One side of an unpaired comparison: its number of inputs, mean and variance. */
export interface SampleMoments {
  readonly n: number
  readonly mean: number
  readonly variance: number
}

/** Welch's estimate of candidate − baseline, with the Welch–Satterthwaite degrees of freedom. */
export function welchEstimate(baseline: SampleMoments, candidate: SampleMoments): TEstimate {
  const a = Math.max(0, baseline.variance) / baseline.n
  const b = Math.max(0, candidate.variance) / candidate.n
  const se = Math.sqrt(a + b)
  const df =
    se === 0
      ? Number.POSITIVE_INFINITY
      : (a + b) ** 2 / (a ** 2 / (baseline.n - 1) + b ** 2 / (candidate.n - 1))
  return { estimate: candidate.mean - baseline.mean, se, df }
}
