/**
 * `any`: the highest of several scorers' values — 1 when any boolean scorer passes.
 */
import type { Scorer, ScorerLike } from '../scorer.js'
import { combinedScorer } from './inner-scores.js'
import type { ScorerOptions } from './scorer-options.js'

/** Scores the highest of the inner scorers' values (default name `any`). */
export function any<R, A extends unknown[] = unknown[]>(...scorers: ScorerLike<R, A>[]): Scorer<R, A>
/** `any` with a trailing `{ name }`. */
export function any<R, A extends unknown[] = unknown[]>(
  ...args: [...ScorerLike<R, A>[], ScorerOptions]
): Scorer<R, A>
export function any<R, A extends unknown[] = unknown[]>(
  ...args: (ScorerLike<R, A> | ScorerOptions)[]
): Scorer<R, A> {
  return combinedScorer('any', args, (values) => Math.max(...values))
}
