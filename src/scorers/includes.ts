/**
 * `includes`: 1 when a string output contains a substring or matches a regular expression.
 */

import { describeKind } from '../describe-value.js'
import { type Scorer, scorer } from '../scorer.js'
import { type Expected, resolveExpected } from './expected.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** Options of `includes`. */
export interface IncludesOptions extends ScorerOptions {
  /** Compare case-insensitively (substrings and regular expressions alike); default `false`. */
  ignoreCase?: boolean
}

/**
 * Scores 1 when the string output contains the substring or matches the RegExp, else 0 (default name
 * `includes`).
 */
export function includes<A extends unknown[] = unknown[]>(
  needle?: Expected<string | RegExp, A>,
  options?: IncludesOptions,
): Scorer<string, A> {
  const read = readOptions(options, 'includes')
  const name = nameFrom(read, 'includes', 'includes')
  const ignoreCase = read.ignoreCase === true
  if (needle !== undefined && typeof needle !== 'function') checkNeedle(needle, 'includes()')
  // A fixed RegExp is copied once, without the stateful `g`/`y` flags.
  const fixed = needle instanceof RegExp ? statelessRegExp(needle, ignoreCase) : undefined
  return scorer<string, A>(name, (output, context) => {
    const resolved = fixed ?? resolveExpected(needle, context, name, 'includes')
    checkNeedle(resolved, `scorer "${name}"`)
    if (typeof output !== 'string') {
      return { score: 0, metadata: { reason: `output is ${describeKind(output)}, not a string` } }
    }
    if (resolved instanceof RegExp) {
      const pattern = resolved === fixed ? resolved : statelessRegExp(resolved, ignoreCase)
      return pattern.test(output)
    }
    return ignoreCase ? output.toLowerCase().includes(resolved.toLowerCase()) : output.includes(resolved)
  })
}

function checkNeedle(needle: unknown, where: string): asserts needle is string | RegExp {
  if (typeof needle !== 'string' && !(needle instanceof RegExp)) {
    throw new TypeError(
      `strikes: ${where} needs a string or a RegExp to look for, got ${describeKind(needle)}`,
    )
  }
}

function statelessRegExp(pattern: RegExp, ignoreCase: boolean): RegExp {
  let flags = pattern.flags.replace(/[gy]/g, '')
  if (ignoreCase && !flags.includes('i')) flags += 'i'
  return new RegExp(pattern.source, flags)
}
