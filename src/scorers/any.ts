/**
 * `any`: the highest of several scorers' values — 1 when any boolean scorer passes.
 */
import { type Scorer, type ScorerLike, scorer } from '../scorer.js'
import { innerMetadata, scoreAllInner, splitTrailingOptions, toInnerScorers } from './inner-scores.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Scores the highest of the inner scorers' values (default name `any`). */
export function any<R, A extends unknown[] = unknown[]>(...scorers: ScorerLike<R, A>[]): Scorer<R, A>
/** `any` with a trailing `{ name }`. */
export function any<R, A extends unknown[] = unknown[]>(
  ...args: [...ScorerLike<R, A>[], ScorerOptions]
): Scorer<R, A>
export function any<R, A extends unknown[] = unknown[]>(
  ...args: (ScorerLike<R, A> | ScorerOptions)[]
): Scorer<R, A> {
  const { items, options } = splitTrailingOptions<ScorerLike<R, A>, ScorerOptions>(args)
  const name = nameFrom(readOptions(options, 'any'), 'any', 'any')
  if (items.length === 0) throw new TypeError('strikes: any() needs at least one scorer')
  const inners = toInnerScorers(items, 'any')
  return scorer<R, A>(name, async (output, context) => {
    const results = await scoreAllInner(inners, output, context)
    return { score: Math.max(...results.map((result) => result.value)), metadata: innerMetadata(results) }
  })
}
