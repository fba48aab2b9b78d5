/**
 * The standard normal distribution: tail probabilities (from the incomplete gamma function, exact in the
 * tails) and the quantile (Wichura's AS 241, refined by Newton steps on the tail probability), as the
 * minimum detectable effect and the Wilson interval need them.
 */
import { incompleteGamma } from './gamma-functions.js'

const SQRT_2PI = Math.sqrt(2 * Math.PI)

/** P(Z > z). */
export function normalSurvival(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  const tail = 0.5 * incompleteGamma(0.5, (z * z) / 2).upper
  return z >= 0 ? tail : 1 - tail
}

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  return normalSurvival(-z)
}

/** The density of the standard normal distribution. */
export function normalDensity(z: number): number {
  return Math.exp(-(z * z) / 2) / SQRT_2PI
}

/** The z with P(Z ≤ z) = p, for 0 < p < 1 (−∞ and +∞ at 0 and 1). */
export function normalQuantile(p: number): number {
  if (Number.isNaN(p) || p < 0 || p > 1) return Number.NaN
  if (p === 0) return Number.NEGATIVE_INFINITY
  if (p === 1) return Number.POSITIVE_INFINITY
  if (p === 0.5) return 0
  // Work with the smaller tail area q so that tiny tail areas keep their precision.
  const upper = p > 0.5
  const q = upper ? 1 - p : p
  let z = -wichura(q)
  for (let step = 0; step < 3; step++) {
    const error = normalSurvival(z) - q
    const density = normalDensity(z)
    if (density === 0) break
    const next = z + error / density
    if (next === z) break
    z = next
  }
  return upper ? z : -z
}

/** AS 241 (PPND16): the quantile of the lower tail area q ≤ 0.5, about 1e-16 relative. */
function wichura(q: number): number {
  const t = q - 0.5
  if (Math.abs(t) <= 0.425) {
    const r = 0.180625 - t * t
    return (
      (t *
        (((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((5226.495278852854561 * r + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    )
  }
  let r = Math.sqrt(-Math.log(q))
  let value: number
  if (r <= 5) {
    r -= 1.6
    value =
      (((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1)
  } else {
    r -= 5
    value =
      (((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1)
  }
  return -value
}

/** z₀.₉₅ + z₀.₈: the multiplier of the standard error in the minimum detectable effect (one-sided 5%, power 80%). */
export const MDE_MULTIPLIER = normalQuantile(0.95) + normalQuantile(0.8)
