/**
 * Exact binomial tests with success probability ½, as the exact McNemar test of paired 0/1 scores uses
 * them: of the inputs whose score changed, how unlikely is a split this lopsided if neither session were
 * better? P(X ≤ k) for X ~ Binomial(n, ½) is I_½(n − k, k + 1).
 */
import { incompleteBeta } from './incomplete-beta.js'

/** P(X ≤ k) for X ~ Binomial(n, ½). */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0
  if (k >= n) return 1
  return incompleteBeta(0.5, n - k, k + 1).lower
}

/**
 * The two-sided p-value of k successes in n trials with probability ½ (as `scipy.stats.binomtest`):
 * twice the smaller tail, at most 1; 1 when n is 0.
 */
export function binomialTestTwoSided(k: number, n: number): number {
  if (n === 0) return 1
  const smaller = Math.min(k, n - k)
  if (2 * smaller === n) return 1
  return Math.min(1, 2 * binomialHalfCdf(smaller, n))
}

/** The one-sided p-value P(X ≤ k) of k successes in n trials with probability ½ (`alternative='less'`). */
export function binomialTestLess(k: number, n: number): number {
  if (n === 0) return 1
  return binomialHalfCdf(k, n)
}
