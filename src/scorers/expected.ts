/**
 * Expected values: fixed, drawn from the call by a function, or — when omitted — the task's expected
 * value (`ctx.expected`: the task's `expected` option, else `input.expected`).
 */
import type { ScorerContext } from '../scorer.js'

/** An expected value: the value itself, or a function that draws it from the scorer's context. */
export type Expected<T, A extends unknown[] = unknown[]> = T | ((context: ScorerContext<A>) => T)

/**
 * The expected value of one call: the hook's answer, the fixed value, else `ctx.expected` (throws when there
 * is none).
 */
export function resolveExpected<T, A extends unknown[]>(
  given: Expected<T, A> | undefined,
  context: ScorerContext<A>,
  scorerName: string,
  factory: string,
): T {
  if (typeof given === 'function') return (given as (context: ScorerContext<A>) => T)(context)
  if (given !== undefined) return given
  const fromTask = context.expected
  if (fromTask === undefined) {
    throw new Error(
      `scorer "${scorerName}" has no expected value: ` +
        `pass one to ${factory}(value) or ${factory}((ctx) => value), ` +
        'give the task an `expected` option, or call it with a first argument that has an `expected` field',
    )
  }
  return fromTask as T
}
