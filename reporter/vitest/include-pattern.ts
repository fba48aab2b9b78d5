/**
 * The `include` globs of a recording project compiled to one regular expression (picomatch, with dot
 * files matched), handed to workers in their configuration: a worker decides whether its test file is a
 * run without loading a glob library, and the main process decides with the very same expression.
 */
import picomatch from 'picomatch'
import type { IncludePattern } from '../../src/shared/worker-config.js'

/** One expression matching a path when any of `globs` matches it. */
export function includePattern(globs: readonly string[]): IncludePattern {
  const expressions = globs.map((glob) => picomatch.makeRe(glob, { dot: true }))
  const flags = [...new Set(expressions.map((expression) => expression.flags))].join('')
  if (expressions.length === 1) {
    const [only] = expressions as [RegExp]
    return { source: only.source, flags }
  }
  return { source: expressions.map((expression) => `(?:${expression.source})`).join('|'), flags }
}
