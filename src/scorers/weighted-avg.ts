/**
 * `weightedAvg`: the weighted mean of several scorers' values.
 */
import { type Scorer, type ScorerLike, scorer } from '../scorer.js'
import { innerMetadata, scoreAllInner, splitTrailingOptions, toInnerScorers } from './inner-scores.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** A scorer and its weight (a finite number >= 0). */
export type WeightedScorer<R = unknown, A extends unknown[] = unknown[]> = readonly [ScorerLike<R, A>, number]

/** Scores the weighted mean `Σ w·v / Σ w` of `[scorer, weight]` pairs (default name `weighted_avg`). */
export function weightedAvg<R, A extends unknown[] = unknown[]>(
  ...pairs: WeightedScorer<R, A>[]
): Scorer<R, A>
/** `weightedAvg` with a trailing `{ name }`. */
export function weightedAvg<R, A extends unknown[] = unknown[]>(
  ...args: [...WeightedScorer<R, A>[], ScorerOptions]
): Scorer<R, A>
export function weightedAvg<R, A extends unknown[] = unknown[]>(
  ...args: (WeightedScorer<R, A> | ScorerOptions)[]
): Scorer<R, A> {
  const { items, options } = splitTrailingOptions<WeightedScorer<R, A>, ScorerOptions>(args)
  const name = nameFrom(readOptions(options, 'weightedAvg'), 'weighted_avg', 'weightedAvg')
  if (items.length === 0)
    throw new TypeError('strikes: weightedAvg() needs at least one [scorer, weight] pair')
  items.forEach((pair, index) => {
    if (!Array.isArray(pair) || pair.length !== 2) {
      throw new TypeError(`strikes: weightedAvg(): argument ${index + 1} must be a [scorer, weight] pair`)
    }
    const weight = pair[1]
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new TypeError(
        `strikes: weightedAvg(): weight ${index + 1} must be a finite number >= 0, got ${String(weight)}`,
      )
    }
  })
  const weights = items.map((pair) => pair[1])
  const total = weights.reduce((sum, weight) => sum + weight, 0)
  if (!(total > 0)) throw new TypeError('strikes: weightedAvg() needs weights that add up to more than 0')
  const inners = toInnerScorers(
    items.map((pair) => pair[0]),
    'weightedAvg',
  )
  return scorer<R, A>(name, async (output, context) => {
    const results = await scoreAllInner(inners, output, context)
    let sum = 0
    results.forEach((result, index) => {
      sum += (weights[index] as number) * result.value
    })
    return { score: sum / total, metadata: innerMetadata(results) }
  })
}
