/**
 * Short descriptions of values for error messages and the reasons scorers record: a value's kind
 * ("output is a number, not a string"), or a small value itself ("got -1", "got \"abc\"").
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

/** A value as an error message shows it: numbers and short strings as they are, anything else by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value)
  if (typeof value === 'bigint') return `${value}n (a bigint)`
  return describeKind(value)
}
