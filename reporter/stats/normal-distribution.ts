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
        (((((((2509.0809287301227 * r + 33430.57558358813) * r + 67265.7709270087) * r + 45921.95393154987) *
          r +
          13731.69376550946) *
          r +
          1971.5909503065513) *
          r +
          133.14166789178438) *
          r +
          3.3871328727963665)) /
      (((((((5226.495278852854 * r + 28729.085735721943) * r + 39307.89580009271) * r + 21213.794301586597) *
        r +
        5394.196021424751) *
        r +
        687.1870074920579) *
        r +
        42.31333070160091) *
        r +
        1)
    )
  }
  let r = Math.sqrt(-Math.log(q))
  let value: number
  if (r <= 5) {
    r -= 1.6
    value =
      (((((((0.0007745450142783414 * r + 0.022723844989269184) * r + 0.2417807251774506) * r +
        1.2704582524523684) *
        r +
        3.6478483247632045) *
        r +
        5.769497221460691) *
        r +
        4.630337846156546) *
        r +
        1.4234371107496835) /
      (((((((1.0507500716444169e-9 * r + 0.0005475938084995345) * r + 0.015198666563616457) * r +
        0.14810397642748008) *
        r +
        0.6897673349851) *
        r +
        1.6763848301838038) *
        r +
        2.053191626637759) *
        r +
        1)
  } else {
    r -= 5
    value =
      (((((((2.0103343992922881e-7 * r + 0.000027115555687434876) * r + 0.0012426609473880784) * r +
        0.026532189526576124) *
        r +
        0.29656057182850487) *
        r +
        1.7848265399172913) *
        r +
        5.463784911164114) *
        r +
        6.657904643501103) /
      (((((((2.0442631033899397e-15 * r + 1.421511758316446e-7) * r + 0.000018463183175100548) * r +
        0.0007868691311456133) *
        r +
        0.014875361290850615) *
        r +
        0.1369298809227358) *
        r +
        0.599832206555888) *
        r +
        1)
  }
  return -value
}

/**
 * z₀.₉₅ + z₀.₈: the multiplier of the standard error in the minimum detectable effect (one-sided
 * 5%, power 80%).
 */
export const MDE_MULTIPLIER = normalQuantile(0.95) + normalQuantile(0.8)
