/**
 * `exactMatch`: 1 when the output equals the expected value, deeply for objects.
 */

import { type Scorer, scorer } from '../scorer.js'
import { describeThrown } from '../serialise.js'
import { deepEqual } from './deep-equal.js'
import { type Expected, resolveExpected } from './expected.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Scores 1 when the output deeply equals the task's expected value, else 0 (default name `exact_match`). */
export function exactMatch<A extends unknown[] = unknown[]>(
  expected?: undefined,
  options?: ScorerOptions,
): Scorer<unknown, A>
/** Scores 1 when the output deeply equals `expected` (fixed or drawn from the call), else 0. */
export function exactMatch<T, A extends unknown[] = unknown[]>(
  expected: Expected<T, A>,
  options?: ScorerOptions,
): Scorer<T, A>
export function exactMatch<T, A extends unknown[] = unknown[]>(
  expected?: Expected<T, A>,
  options?: ScorerOptions,
): Scorer<T, A> {
  const name = nameFrom(readOptions(options, 'exactMatch'), 'exact_match', 'exactMatch')
  return scorer<T, A>(name, (output, context) => {
    const want = resolveExpected(expected, context, name, 'exactMatch')
    try {
      return deepEqual(output, want)
    } catch (error) {
      // The output (or the expected value) could not be read: a getter threw, or it nests too deeply.
      return { score: 0, metadata: { reason: `could not compare: ${describeThrown(error)}` } }
    }
  })
}
