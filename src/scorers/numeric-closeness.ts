/**
 * `numericCloseness`: how close a numeric output is to the expected number.
 *
 * Formula, with `d = |output − expected|` and `t` the tolerance:
 *
 *     score = 1                                         when d <= t
 *     score = 1 − (d − t) / (|output| + |expected|)     otherwise
 *
 * Beyond the tolerance it is the relative difference of Braintrust's `NumericDiff`, shifted so it is
 * continuous at the tolerance's edge: it lies in [0, 1] (d <= |output| + |expected| always), falls
 * linearly as the gap grows, and reaches 0 when the two have opposite signs or one of them is 0 (so give
 * a tolerance when the expected value is 0). It never divides by zero: past a tolerance the sum of
 * magnitudes is positive.
 */

import { describeKind } from '../describe-value.js'
import { type Scorer, scorer } from '../scorer.js'
import { type Expected, resolveExpected } from './expected.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Options of `numericCloseness`. */
export interface NumericClosenessOptions extends ScorerOptions {
  /** Largest absolute difference that still scores 1; default 0. */
  tolerance?: number
}

/**
 * Scores 1 when the output is within `tolerance` of the expected number, decaying to 0 beyond (default name
 * `numeric_closeness`).
 */
export function numericCloseness<A extends unknown[] = unknown[]>(
  expected?: Expected<number, A>,
  options?: NumericClosenessOptions,
): Scorer<number | string, A> {
  const read = readOptions(options, 'numericCloseness')
  const name = nameFrom(read, 'numeric_closeness', 'numericCloseness')
  const tolerance = read.tolerance ?? 0
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0) {
    throw new TypeError(
      'strikes: numericCloseness(): option "tolerance" must be a finite number >= 0, ' +
        `got ${String(tolerance)}`,
    )
  }
  if (expected !== undefined && typeof expected !== 'function' && toNumber(expected) === undefined) {
    throw new TypeError(
      `strikes: numericCloseness() needs a finite expected number, got ${describeNumber(expected)}`,
    )
  }
  return scorer<number | string, A>(name, (output, context) => {
    const rawWant = resolveExpected<unknown, A>(expected, context, name, 'numericCloseness')
    const want = toNumber(rawWant)
    if (want === undefined) {
      throw new TypeError(`numericCloseness needs a finite expected number, got ${describeNumber(rawWant)}`)
    }
    const got = toNumber(output)
    if (got === undefined) {
      return { score: 0, metadata: { reason: `output is ${describeNumber(output)}, not a finite number` } }
    }
    const difference = Math.abs(got - want)
    if (difference <= tolerance) return { score: 1, metadata: { difference } }
    const score = 1 - (difference - tolerance) / (Math.abs(got) + Math.abs(want))
    return { score: Math.min(1, Math.max(0, score)), metadata: { difference } }
  })
}

const NUMERIC_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i

/**
 * A finite number from a number, a bigint or a plain numeric string (`" 42 "`, `"-1.5e3"`); else `undefined`.
 */
function toNumber(value: unknown): number | undefined {
  let number: number | undefined
  if (typeof value === 'number') number = value
  else if (typeof value === 'bigint') number = Number(value)
  else if (typeof value === 'string' && NUMERIC_TEXT.test(value.trim())) number = Number(value.trim())
  return number !== undefined && Number.isFinite(number) ? number : undefined
}

function describeNumber(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`
  return describeKind(value)
}
