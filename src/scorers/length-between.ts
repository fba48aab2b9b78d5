/**
 * `lengthBetween`: 1 when the output's length is within bounds.
 */

import { describeKind } from '../describe-value.js'
import { type Scorer, scorer } from '../scorer.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/**
 * Scores 1 when the output's length (code points or items) is within `[min, max]`, else 0 (default name
 * `length_between`).
 */
export function lengthBetween<A extends unknown[] = unknown[]>(
  min: number,
  max: number,
  options?: ScorerOptions,
): Scorer<string | readonly unknown[], A> {
  const name = nameFrom(readOptions(options, 'lengthBetween'), 'length_between', 'lengthBetween')
  if (typeof min !== 'number' || !Number.isFinite(min) || min < 0) {
    throw new TypeError(`strikes: lengthBetween() needs a finite min >= 0, got ${String(min)}`)
  }
  if (typeof max !== 'number' || Number.isNaN(max) || max < min) {
    throw new TypeError(`strikes: lengthBetween() needs a max >= min (${min}), got ${String(max)}`)
  }
  return scorer<string | readonly unknown[], A>(name, (output) => {
    let length: number
    if (typeof output === 'string') length = codePointLength(output)
    else if (Array.isArray(output)) length = output.length
    else
      return { score: 0, metadata: { reason: `output is ${describeKind(output)}, not a string or an array` } }
    return { score: length >= min && length <= max ? 1 : 0, metadata: { length } }
  })
}

function codePointLength(text: string): number {
  let surrogatePairs = 0
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i)
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        surrogatePairs++
        i++
      }
    }
  }
  return text.length - surrogatePairs
}
