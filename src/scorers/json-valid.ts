/**
 * `jsonValid`: 1 when the output is JSON — a string that parses as JSON, or a value that survives a JSON
 * round trip unchanged.
 *
 * A value is JSON when it is `null`, a boolean, a finite number, or an array or plain object (prototype
 * `Object.prototype` or `null`) whose items are JSON. `undefined` (also as a property value or array
 * hole), `NaN`/`±Infinity`, BigInts, functions, symbols, Dates, Maps, Sets, class instances and circular
 * references are not: `JSON.stringify` would drop, change or reject them. A string output is always
 * parsed (any string would otherwise pass). Checking walks the value iteratively, so deep nesting cannot
 * overflow the stack.
 */

import { describeKind } from '../describe-value.js'
import { type Scorer, scorer } from '../scorer.js'
import { describeThrown } from '../serialise.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/**
 * Scores 1 when the output is JSON text or a JSON-able value, else 0 with the reason (default name
 * `json_valid`).
 */
export function jsonValid<A extends unknown[] = unknown[]>(options?: ScorerOptions): Scorer<unknown, A> {
  const name = nameFrom(readOptions(options, 'jsonValid'), 'json_valid', 'jsonValid')
  return scorer<unknown, A>(name, (output) => {
    const problem = typeof output === 'string' ? parseProblem(output) : jsonProblem(output)
    return problem === undefined ? 1 : { score: 0, metadata: { reason: problem } }
  })
}

/** Why a string is not JSON text, or `undefined` when it parses. */
export function parseProblem(text: string): string | undefined {
  try {
    JSON.parse(text)
    return undefined
  } catch (error) {
    return `not JSON text: ${error instanceof Error ? error.message : describeThrown(error)}`
  }
}

/** Why a value is not a JSON value (with the path to the culprit), or `undefined` when it is. */
export function jsonProblem(value: unknown): string | undefined {
  // Depth-first walk; `exit` entries mark when an object's subtree is done, for cycle detection.
  const stack: { value: unknown; path: string; exit?: object }[] = [{ value, path: '$' }]
  const ancestors = new Set<object>()
  while (stack.length > 0) {
    const entry = stack.pop() as { value: unknown; path: string; exit?: object }
    if (entry.exit !== undefined) {
      ancestors.delete(entry.exit)
      continue
    }
    const { value: item, path } = entry
    if (item === null || typeof item === 'boolean' || typeof item === 'string') continue
    if (typeof item === 'number') {
      if (Number.isFinite(item)) continue
      return `${path} is ${String(item)}, which JSON cannot hold`
    }
    if (typeof item !== 'object') return `${path} is ${describeKind(item)}, which JSON cannot hold`
    if (ancestors.has(item)) return `${path} is a circular reference`
    const children = childrenOf(item, path)
    if (typeof children === 'string') return children
    ancestors.add(item)
    stack.push({ value: undefined, path, exit: item })
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i] as { value: unknown; path: string })
  }
  return undefined
}

function childrenOf(item: object, path: string): { value: unknown; path: string }[] | string {
  try {
    if (Array.isArray(item)) {
      const children: { value: unknown; path: string }[] = []
      for (let i = 0; i < item.length; i++) {
        if (!(i in item)) return `${path}[${i}] is a hole, which JSON writes as null`
        children.push({ value: item[i], path: `${path}[${i}]` })
      }
      return children
    }
    const proto: unknown = Object.getPrototypeOf(item)
    if (proto !== Object.prototype && proto !== null) {
      return `${path} is ${describeKind(item)}, which JSON does not round-trip`
    }
    return Object.keys(item).map((key) => {
      const child = (item as Record<string, unknown>)[key]
      return {
        value: child,
        path: `${path}${/^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`}`,
      }
    })
  } catch (error) {
    return `${path} could not be read: ${describeThrown(error)}`
  }
}
