/**
 * One threshold against one observed aggregate: the expected value (a number, or derived from the
 * baseline) and whether `observed <comparator> expected` holds. Values within a relative 1e-9 of each
 * other count as equal, so `==`, `>=` and `<=` are not defeated by floating-point noise (`0.1 + 0.2`).
 */
import type { Comparator, ThresholdTarget } from './threshold-expression.js'

const RELATIVE_TOLERANCE = 1e-9

/**
 * The value a target stands for; `baseline` is the same aggregate in the baseline run (required for baseline
 * targets).
 */
export function expectedValue(target: ThresholdTarget, baseline: number | undefined): number {
  if (target.kind === 'number') return target.value
  if (baseline === undefined) throw new Error('strikes: a baseline target needs a baseline value')
  const adjustment = target.adjustment
  if (adjustment === undefined) return baseline
  if (adjustment.operator === '+') return baseline + adjustment.amount
  if (adjustment.operator === '-') return baseline - adjustment.amount
  return baseline * adjustment.amount
}

/** True when `observed <comparator> expected` holds (with the tolerance described above). */
export function evaluateThreshold(observed: number, comparator: Comparator, expected: number): boolean {
  if (Number.isNaN(observed) || Number.isNaN(expected)) return false
  const equal = approximatelyEqual(observed, expected)
  switch (comparator) {
    case '==':
      return equal
    case '>=':
      return equal || observed > expected
    case '<=':
      return equal || observed < expected
    case '>':
      return !equal && observed > expected
    case '<':
      return !equal && observed < expected
  }
}

/** True when two numbers differ by at most a relative 1e-9 (absolute near 0). */
export function approximatelyEqual(a: number, b: number): boolean {
  if (a === b) return true
  // An infinity equals only itself (the relative tolerance of an infinite value would be infinite).
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b))
}
