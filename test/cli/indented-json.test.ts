/**
 * The entries `strikes compare --json` streams are laid out field by field; the text must be exactly what
 * `JSON.stringify(value, null, 2)` gives, indented — for any JSON value, and for the values JSON drops or
 * changes (undefined, functions, NaN, dates).
 */
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { indentedJson } from '../../reporter/cli/indented-json.js'

function reference(value: unknown, indent: string): string {
  return (JSON.stringify(value, null, 2) ?? 'null')
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n')
}

describe('indentedJson', () => {
  test('is the text of JSON.stringify(value, null, 2), indented, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom('', '  ', '    '), (value, indent) => {
        expect(indentedJson(value, indent)).toBe(reference(value, indent))
      }),
      { numRuns: 500 },
    )
  })

  test('drops undefined and functions from objects, nulls them in arrays, and writes NaN and dates as JSON does', () => {
    const value = {
      gone: undefined,
      call: () => 1,
      list: [undefined, () => 1, Number.NaN, Number.NEGATIVE_INFINITY],
      when: new Date(0),
      text: 'line\u2028separator "quoted"',
      empty: { nested: [] },
    }
    expect(indentedJson(value, '    ')).toBe(reference(value, '    '))
  })
})
