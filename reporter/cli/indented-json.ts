/**
 * One entry of a streamed JSON array, laid out exactly as `JSON.stringify(value, null, 2)` would lay it
 * out at that depth — but written field by field: V8 serialises with indentation on its slow path, and
 * `strikes compare --json` writes a million entries.
 */

/**
 * `value` as indented JSON text whose first line starts at `indent` (and whose nested lines are indented
 * from it), the same text as `JSON.stringify(value, null, 2)` with `indent` before every line.
 */
export function indentedJson(value: unknown, indent: string): string {
  return `${indent}${nested(value, indent)}`
}

function nested(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    let text = '['
    for (let index = 0; index < value.length; index++) {
      text += `${index === 0 ? '' : ','}\n${inner}${nested(value[index] === undefined ? null : value[index], inner)}`
    }
    return `${text}\n${indent}]`
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return nested(JSON.parse(JSON.stringify(value)), indent)
  }
  let text = '{'
  let first = true
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue
    text += `${first ? '' : ','}\n${inner}${JSON.stringify(key)}: ${nested(field, inner)}`
    first = false
  }
  return first ? '{}' : `${text}\n${indent}}`
}
