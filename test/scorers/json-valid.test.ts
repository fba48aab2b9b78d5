import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { jsonValid } from '../../src/scorers/index.js'
import { circular, scoreWith, withThrowingGetter } from './scorer-harness.js'

describe('jsonValid', () => {
  test('is named json_valid', () => {
    expect(jsonValid().name).toBe('json_valid')
  })

  test('scores 1 for strings that parse as JSON', async () => {
    for (const text of ['{"a":1}', '[1,2,3]', '"text"', '42', 'null', 'true', '  {"padded": true}\n']) {
      expect((await scoreWith(jsonValid(), text)).value, text).toBe(1)
    }
  })

  test('scores 0 with the parse error for strings that are not JSON, the empty string included', async () => {
    for (const text of [
      '',
      '{a:1}',
      "{'a':1}",
      '[1,2,]',
      'undefined',
      'NaN',
      '{"a":1} trailing',
      '```json\n{}\n```',
    ]) {
      const result = await scoreWith(jsonValid(), text)
      expect(result.value, text).toBe(0)
      expect(result.metadata.reason).toMatch(/^not JSON text: /)
    }
  })

  test('scores 1 for plain JSON-able values that are not strings', async () => {
    for (const value of [
      null,
      true,
      0,
      -1.5,
      [],
      {},
      { a: [1, { b: null }], 'odd key': 'x' },
      Object.create(null),
    ]) {
      expect((await scoreWith(jsonValid(), value)).value).toBe(1)
    }
  })

  test('scores 0 with the path to the culprit for values JSON would drop, change or reject', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /^\$ is undefined/],
      [Number.NaN, /^\$ is NaN/],
      [Number.POSITIVE_INFINITY, /^\$ is Infinity/],
      [10n, /^\$ is a bigint/],
      [() => 1, /^\$ is a function/],
      [Symbol('s'), /^\$ is a symbol/],
      [{ a: { b: undefined } }, /^\$\.a\.b is undefined/],
      [{ 'odd key': [1, Number.NaN] }, /^\$\["odd key"\]\[1\] is NaN/],
      [new Date(0), /^\$ is a Date, which JSON does not round-trip/],
      [new Map(), /^\$ is a Map/],
      [new Set([1]), /^\$ is a Set/],
      [new (class Point {})(), /^\$ is a Point/],
      // biome-ignore lint/suspicious/noSparseArray: a hole is the point of this case
      [[1, , 3], /^\$\[1\] is a hole/],
      [circular(), /^\$\.self is a circular reference/],
      [withThrowingGetter(), /^\$ could not be read: Error: getter exploded/],
    ]
    for (const [value, reason] of cases) {
      const result = await scoreWith(jsonValid(), value)
      expect(result.value).toBe(0)
      expect(result.error).toBeUndefined()
      expect(result.metadata.reason).toMatch(reason)
    }
  })

  test('accepts the same object twice in a value (shared, not circular)', async () => {
    const shared = { x: 1 }
    expect((await scoreWith(jsonValid(), { a: shared, b: [shared, shared] })).value).toBe(1)
  })

  test('checks 100,000 levels of nesting without overflowing the stack', async () => {
    let deep: unknown = 'bottom'
    for (let i = 0; i < 100_000; i++) deep = [deep]
    expect((await scoreWith(jsonValid(), deep)).value).toBe(1)
  })

  test('parses a 1 MB JSON string', async () => {
    const big = JSON.stringify({
      items: Array.from({ length: 40_000 }, (_, i) => ({ id: i, text: 'lorem ipsum' })),
    })
    expect(big.length).toBeGreaterThan(1_000_000)
    expect((await scoreWith(jsonValid(), big)).value).toBe(1)
    expect((await scoreWith(jsonValid(), big.slice(0, -1))).value).toBe(0)
  })

  test('accepts unicode, emoji and combining characters in JSON text', async () => {
    expect((await scoreWith(jsonValid(), '{"emoji":"🎉","accent":"e\u0301"}')).value).toBe(1)
  })

  test('every JSON value is valid both as a value and as its JSON text (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        expect((await scoreWith(jsonValid(), JSON.stringify(value))).value).toBe(1)
        if (typeof value !== 'string') expect((await scoreWith(jsonValid(), value)).value).toBe(1)
      }),
      { numRuns: 300 },
    )
  })
})
