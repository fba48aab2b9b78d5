/**
 * `all`: the lowest of several scorers' values — 1 only when every boolean scorer passes.
 */
import { type Scorer, type ScorerLike, scorer } from '../scorer.js'
import { innerMetadata, scoreAllInner, splitTrailingOptions, toInnerScorers } from './inner-scores.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Scores the lowest of the inner scorers' values (default name `all`). */
export function all<R, A extends unknown[] = unknown[]>(...scorers: ScorerLike<R, A>[]): Scorer<R, A>
/** `all` with a trailing `{ name }`. */
export function all<R, A extends unknown[] = unknown[]>(
  ...args: [...ScorerLike<R, A>[], ScorerOptions]
): Scorer<R, A>
export function all<R, A extends unknown[] = unknown[]>(
  ...args: (ScorerLike<R, A> | ScorerOptions)[]
): Scorer<R, A> {
  const { items, options } = splitTrailingOptions<ScorerLike<R, A>, ScorerOptions>(args)
  const name = nameFrom(readOptions(options, 'all'), 'all', 'all')
  if (items.length === 0) throw new TypeError('strikes: all() needs at least one scorer')
  const inners = toInnerScorers(items, 'all')
  return scorer<R, A>(name, async (output, context) => {
    const results = await scoreAllInner(inners, output, context)
    return { score: Math.min(...results.map((result) => result.value)), metadata: innerMetadata(results) }
  })
}
