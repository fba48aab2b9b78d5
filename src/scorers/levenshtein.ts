/**
 * `levenshtein`: normalised edit similarity between the output and the expected string.
 *
 * Strings are compared by Unicode code points (an emoji is one character; a combining accent is its own
 * character — normalise with `String.prototype.normalize` first if canonical equivalence matters).
 *
 * Strategy, bounded in memory and time:
 * 1. The common prefix and suffix are stripped (linear; identical or nearly identical strings of any size
 *    cost almost nothing).
 * 2. When the rest needs at most `maxCells` dynamic-programming cells (`n × m`), the distance is computed
 *    exactly with two rows of `min(n, m) + 1` integers.
 * 3. Otherwise a banded computation (Ukkonen) runs on diagonals around the main one, doubling the band
 *    while the cells of all attempts together stay within `maxCells`; a band of half-width `p` proves
 *    any distance up to `|n − m| + 2p + 1`, and an attempt stops early once every cell of a row exceeds
 *    that limit.
 * 4. When no affordable band proves the distance, the scorer throws, naming the sizes and `maxCells`: the
 *    task records 0 with the error and a warning rather than a made-up similarity.
 */

import { describeKind } from '../describe-value.js'
import { type Scorer, scorer } from '../scorer.js'
import { codePoints, editDistance } from '../shared/edit-distance.js'
import { type Expected, resolveExpected } from './expected.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Default budget of dynamic-programming cells per comparison (about a second of work at worst). */
export const DEFAULT_LEVENSHTEIN_MAX_CELLS = 100_000_000

/** Options of `levenshtein`. */
export interface LevenshteinOptions extends ScorerOptions {
  /** Most dynamic-programming cells one comparison may compute; default 100,000,000. */
  maxCells?: number
}

/**
 * Scores the edit similarity `1 − distance / max(length)` of the output and the expected string (default
 * name `levenshtein`).
 */
export function levenshtein<A extends unknown[] = unknown[]>(
  expected?: Expected<string, A>,
  options?: LevenshteinOptions,
): Scorer<string, A> {
  const read = readOptions(options, 'levenshtein')
  const name = nameFrom(read, 'levenshtein', 'levenshtein')
  const maxCells = read.maxCells ?? DEFAULT_LEVENSHTEIN_MAX_CELLS
  if (typeof maxCells !== 'number' || !(maxCells >= 1)) {
    throw new TypeError(
      `strikes: levenshtein(): option "maxCells" must be a number >= 1, got ${String(maxCells)}`,
    )
  }
  if (expected !== undefined && typeof expected !== 'function' && typeof expected !== 'string') {
    throw new TypeError(
      `strikes: levenshtein() compares strings; the expected value is ${describeKind(expected)}`,
    )
  }
  return scorer<string, A>(name, (output, context) => {
    const want = resolveExpected(expected, context, name, 'levenshtein')
    if (typeof want !== 'string') {
      throw new TypeError(`levenshtein compares strings; the expected value is ${describeKind(want)}`)
    }
    if (typeof output !== 'string') {
      return { score: 0, metadata: { reason: `output is ${describeKind(output)}, not a string` } }
    }
    const a = codePoints(output)
    const b = codePoints(want)
    const longest = Math.max(a.length, b.length)
    if (longest === 0) return { score: 1, metadata: { distance: 0 } }
    const distance = editDistance(a, b, maxCells)
    if (distance.exact === undefined) {
      throw new Error(
        `the strings (${a.length} and ${b.length} code points) ` +
          `differ by at least ${distance.atLeast} edits ` +
          `and the exact distance needs more than maxCells = ${maxCells} steps; ` +
          'raise maxCells or compare shorter strings',
      )
    }
    return { score: 1 - distance.exact / longest, metadata: { distance: distance.exact } }
  })
}
