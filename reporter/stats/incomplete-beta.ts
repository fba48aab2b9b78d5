/**
 * The regularized incomplete beta function I_x(a, b) and its complement, by the continued fraction of
 * Numerical Recipes (`betacf`, modified Lentz) on whichever side converges, so the smaller tail is
 * computed directly and keeps its relative accuracy. Student t and binomial probabilities are built on it.
 */
import { logBeta } from './gamma-functions.js'

const EPSILON = 1e-15
const TINY = 1e-300
const MAX_ITERATIONS = 100_000

/** I_x(a, b) (`lower`) and 1 − I_x(a, b) (`upper`). */
export interface BetaTails {
  readonly lower: number
  readonly upper: number
}

/**
 * The regularized incomplete beta function at `x` for a, b > 0, with `y` = 1 − x passed separately so a
 * caller that knows 1 − x more precisely than `1 - x` (e.g. t² / (ν + t²)) loses nothing.
 */
export function incompleteBeta(x: number, a: number, b: number, y: number = 1 - x): BetaTails {
  if (!(a > 0) || !(b > 0) || Number.isNaN(x) || Number.isNaN(y)) {
    return { lower: Number.NaN, upper: Number.NaN }
  }
  if (x <= 0) return { lower: 0, upper: 1 }
  if (y <= 0) return { lower: 1, upper: 0 }
  const logX = x < 0.5 ? Math.log(x) : Math.log1p(-y)
  const logY = y < 0.5 ? Math.log(y) : Math.log1p(-x)
  const logFront = a * logX + b * logY - logBeta(a, b)
  if (x < (a + 1) / (a + b + 2)) {
    const lower = (Math.exp(logFront) * continuedFraction(x, a, b)) / a
    return { lower, upper: 1 - lower }
  }
  const upper = (Math.exp(logFront) * continuedFraction(y, b, a)) / b
  return { lower: 1 - upper, upper }
}

/** The continued fraction of I_x(a, b), evaluated by the modified Lentz method. */
function continuedFraction(x: number, a: number, b: number): number {
  const qab = a + b
  const qap = a + 1
  const qam = a - 1
  let c = 1
  let d = 1 - (qab * x) / qap
  if (Math.abs(d) < TINY) d = TINY
  d = 1 / d
  let h = d
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    h *= d * c
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2))
    d = 1 + aa * d
    if (Math.abs(d) < TINY) d = TINY
    c = 1 + aa / c
    if (Math.abs(c) < TINY) c = TINY
    d = 1 / d
    const delta = d * c
    h *= delta
    if (Math.abs(delta - 1) < EPSILON) break
  }
  return h
}
