/**
 * Student's t distribution with ν degrees of freedom (any real ν > 0, as Welch's test needs): tail
 * probabilities through the incomplete beta function, P(T > t) = ½ I_{ν/(ν+t²)}(ν/2, ½), and the
 * quantile by safeguarded Newton steps on the tail probability from a Cornish–Fisher start.
 */
import { logBeta } from './gamma-functions.js'
import { incompleteBeta } from './incomplete-beta.js'
import { normalQuantile, normalSurvival } from './normal-distribution.js'

/** Above this many degrees of freedom the t distribution is the normal one to double precision. */
const NORMAL_DF = 1e12

/** P(T > t) for ν degrees of freedom. */
export function studentTSurvival(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0)) return Number.NaN
  if (t === Number.POSITIVE_INFINITY) return 0
  if (t === Number.NEGATIVE_INFINITY) return 1
  if (df >= NORMAL_DF) return normalSurvival(t)
  const square = t * t
  // x = ν/(ν+t²) and 1 − x = t²/(ν+t²), each computed directly.
  const tail = 0.5 * incompleteBeta(df / (df + square), df / 2, 0.5, square / (df + square)).lower
  return t >= 0 ? tail : 1 - tail
}

/** P(T ≤ t) for ν degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  return studentTSurvival(-t, df)
}

/** The density of the t distribution at t. */
export function studentTDensity(t: number, df: number): number {
  if (df >= NORMAL_DF) return Math.exp(-(t * t) / 2) / Math.sqrt(2 * Math.PI)
  return Math.exp(-((df + 1) / 2) * Math.log1p((t * t) / df) - 0.5 * Math.log(df) - logBeta(df / 2, 0.5))
}

/** The t with P(T ≤ t) = p for ν degrees of freedom (−∞ and +∞ at 0 and 1). */
export function studentTQuantile(p: number, df: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1 || !(df > 0)) return Number.NaN
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  if (p === 0.5) return 0
  const upper = p > 0.5
  const q = upper ? 1 - p : p
  const t = upperTailPoint(q, df)
  return upper ? t : -t
}

/** The t > 0 with P(T > t) = q, for 0 < q < ½. */
function upperTailPoint(q: number, df: number): number {
  if (df === 1) return 1 / Math.tan(Math.PI * q)
  if (df === 2) return (1 - 2 * q) * Math.sqrt(2 / (4 * q * (1 - q)))
  if (df >= NORMAL_DF) return -normalQuantile(q)
  // Bracket [low, high] with P(T > low) ≥ q ≥ P(T > high); Newton steps that leave it are replaced by
  // bisection.
  let low = 0
  let high = Math.max(1, cornishFisher(q, df))
  while (studentTSurvival(high, df) > q) {
    low = high
    high *= 2
    if (!Number.isFinite(high)) return Number.POSITIVE_INFINITY
  }
  let t = Math.min(Math.max(cornishFisher(q, df), low), high)
  for (let step = 0; step < 200; step++) {
    const error = studentTSurvival(t, df) - q
    if (error === 0) return t
    if (error > 0) low = t
    else high = t
    const density = studentTDensity(t, df)
    let next = density > 0 ? t + error / density : Number.NaN
    if (!(next > low && next < high)) next = (low + high) / 2
    if (Math.abs(next - t) <= 1e-16 * Math.abs(t) || high - low <= 4e-16 * high) return next
    t = next
  }
  return t
}

/**
 * The Cornish–Fisher expansion of the upper tail point in powers of 1/ν (Abramowitz and Stegun 26.7.5).
 */
function cornishFisher(q: number, df: number): number {
  const z = -normalQuantile(q)
  const z2 = z * z
  const g1 = (z * (z2 + 1)) / 4
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160
  const value = z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df
  return Number.isFinite(value) && value > 0 ? value : z
}
