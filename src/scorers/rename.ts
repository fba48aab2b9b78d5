/**
 * `rename`: the same scorer under another metric name.
 */
import { type Scorer, type ScorerLike, scorer } from '../scorer.js'
import { toInnerScorers } from './inner-scores.js'

/** The same scorer logging under `name`: its value, metadata and failures pass through unchanged. */
export function rename<R, A extends unknown[] = unknown[]>(
  inner: ScorerLike<R, A>,
  name: string,
): Scorer<R, A> {
  const [wrapped] = toInnerScorers([inner], 'rename') as [Scorer<R, A>]
  return scorer<R, A>(name, (output, context) => wrapped.score(output, context))
}
