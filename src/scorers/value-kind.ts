/**
 * Short descriptions of a value's kind, for the `reason` a scorer records when an output has the wrong
 * shape ("output is a number, not a string").
 */

/** Describes what kind of value this is in a few words: `a number`, `null`, `an array`, `a Map`, … */
export function describeKind(value: unknown): string {
  switch (typeof value) {
    case 'undefined':
      return 'undefined'
    case 'string':
      return 'a string'
    case 'number':
      return 'a number'
    case 'bigint':
      return 'a bigint'
    case 'boolean':
      return 'a boolean'
    case 'symbol':
      return 'a symbol'
    case 'function':
      return 'a function'
    default:
      return describeObjectKind(value as object | null)
  }
}

function describeObjectKind(value: object | null): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name
    if (typeof name === 'string' && name !== '' && name !== 'Object') return `a ${name}`
  } catch {
    // A throwing `constructor` getter: fall through to the generic answer.
  }
  return 'an object'
}
