/**
 * `invert`: one minus a scorer's value.
 */
import { cleanLabel } from '../labels.js'
import { type Scorer, type ScorerLike, scorer } from '../scorer.js'
import { innerMetadata, scoreInner, toInnerScorers } from './inner-scores.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Scores one minus the inner scorer's value (default name `<inner>_inverted`). */
export function invert<R, A extends unknown[] = unknown[]>(
  inner: ScorerLike<R, A>,
  options?: ScorerOptions,
): Scorer<R, A> {
  const [wrapped] = toInnerScorers([inner], 'invert') as [Scorer<R, A>]
  const name = nameFrom(readOptions(options, 'invert'), `${cleanLabel(wrapped.name)}_inverted`, 'invert')
  return scorer<R, A>(name, async (output, context) => {
    const result = await scoreInner(wrapped, output, context)
    return { score: 1 - result.value, metadata: innerMetadata([result]) }
  })
}
