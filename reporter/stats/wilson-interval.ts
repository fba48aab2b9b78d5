/**
 * The Wilson score interval of a proportion: the 95% interval of a key whose per-input values are all 0/1.
 * Unlike the normal-approximation interval it stays inside [0, 1] and is sound for small n and for
 * proportions near 0 or 1.
 */
import { normalQuantile } from './normal-distribution.js'

/** The z of a two-sided 95% interval, z₀.₉₇₅. */
export const Z_975 = normalQuantile(0.975)

/** The Wilson interval of `successes` out of `n` at the two-sided level `level` (default 0.95). */
export function wilsonInterval(
  successes: number,
  n: number,
  level = 0.95,
): { readonly low: number; readonly high: number } {
  if (!(n > 0)) return { low: Number.NaN, high: Number.NaN }
  const z = level === 0.95 ? Z_975 : normalQuantile(1 - (1 - level) / 2)
  const p = successes / n
  const z2 = z * z
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n)
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) }
}
