/**
 * `all`: the lowest of several scorers' values — 1 only when every boolean scorer passes.
 */
import type { Scorer, ScorerLike } from '../scorer.js'
import { combinedScorer } from './inner-scores.js'
import type { ScorerOptions } from './scorer-options.js'

/** Scores the lowest of the inner scorers' values (default name `all`). */
export function all<R, A extends unknown[] = unknown[]>(...scorers: ScorerLike<R, A>[]): Scorer<R, A>
/** `all` with a trailing `{ name }`. */
export function all<R, A extends unknown[] = unknown[]>(
  ...args: [...ScorerLike<R, A>[], ScorerOptions]
): Scorer<R, A>
export function all<R, A extends unknown[] = unknown[]>(
  ...args: (ScorerLike<R, A> | ScorerOptions)[]
): Scorer<R, A> {
  return combinedScorer('all', args, (values) => Math.min(...values))
}
