/**
 * `scale`: a scorer's value multiplied by a constant.
 */
import { cleanLabel } from '../labels.js'
import { type Scorer, type ScorerLike, scorer } from '../scorer.js'
import { innerMetadata, scoreInner, toInnerScorers } from './inner-scores.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Scores the inner scorer's value times `k` (default name `<inner>_scaled`). */
export function scale<R, A extends unknown[] = unknown[]>(
  inner: ScorerLike<R, A>,
  k: number,
  options?: ScorerOptions,
): Scorer<R, A> {
  const [wrapped] = toInnerScorers([inner], 'scale') as [Scorer<R, A>]
  const name = nameFrom(readOptions(options, 'scale'), `${cleanLabel(wrapped.name)}_scaled`, 'scale')
  if (typeof k !== 'number' || !Number.isFinite(k)) {
    throw new TypeError(`strikes: scale() needs a finite factor, got ${String(k)}`)
  }
  return scorer<R, A>(name, async (output, context) => {
    const result = await scoreInner(wrapped, output, context)
    return { score: k * result.value, metadata: innerMetadata([result]) }
  })
}
