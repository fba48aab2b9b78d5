/**
 * `threshold`: turns a scorer's value into a pass (1) or a fail (0) against bounds.
 */
import { cleanLabel } from '../labels.js'
import { type Scorer, type ScorerLike, scorer } from '../scorer.js'
import { innerMetadata, scoreInner, toInnerScorers } from './inner-scores.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Bounds of `threshold`; every bound given must hold. */
export interface ThresholdBounds {
  /** Passes when the value is >= this. */
  gte?: number
  /** Passes when the value is > this. */
  gt?: number
  /** Passes when the value is <= this. */
  lte?: number
  /** Passes when the value is < this. */
  lt?: number
}

const BOUNDS = ['gte', 'gt', 'lte', 'lt'] as const

/**
 * Scores 1 when the inner scorer's value satisfies every given bound, else 0 (default name
 * `<inner>_threshold`).
 */
export function threshold<R, A extends unknown[] = unknown[]>(
  inner: ScorerLike<R, A>,
  bounds: ThresholdBounds & ScorerOptions,
): Scorer<R, A> {
  const [wrapped] = toInnerScorers([inner], 'threshold') as [Scorer<R, A>]
  const read = readOptions(bounds, 'threshold')
  const name = nameFrom(read, `${cleanLabel(wrapped.name)}_threshold`, 'threshold')
  const given = BOUNDS.filter((key) => read[key] !== undefined)
  if (given.length === 0) {
    throw new TypeError('strikes: threshold() needs at least one bound: { gte, gt, lte, lt }')
  }
  for (const key of given) {
    const bound = read[key]
    if (typeof bound !== 'number' || Number.isNaN(bound)) {
      throw new TypeError(`strikes: threshold(): bound "${key}" must be a number, got ${String(bound)}`)
    }
  }
  const { gte, gt, lte, lt } = read
  return scorer<R, A>(name, async (output, context) => {
    const result = await scoreInner(wrapped, output, context)
    const v = result.value
    const passes =
      (gte === undefined || v >= gte) &&
      (gt === undefined || v > gt) &&
      (lte === undefined || v <= lte) &&
      (lt === undefined || v < lt)
    return { score: passes ? 1 : 0, metadata: innerMetadata([result]) }
  })
}
