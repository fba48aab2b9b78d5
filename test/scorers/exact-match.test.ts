import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { exactMatch } from '../../src/scorers/index.js'
import { circular, contextOf, scoreWith, withThrowingGetter } from './scorer-harness.js'

describe('exactMatch', () => {
  test('scores 1 for an identical string and 0 for any difference', async () => {
    expect((await scoreWith(exactMatch('Paris'), 'Paris')).value).toBe(1)
    expect((await scoreWith(exactMatch('Paris'), 'paris')).value).toBe(0)
    expect((await scoreWith(exactMatch('Paris'), 'Paris ')).value).toBe(0)
  })

  test('is named exact_match', () => {
    expect(exactMatch('x').name).toBe('exact_match')
  })

  test('compares objects, arrays, Maps, Sets and Dates deeply', async () => {
    const cases: [unknown, unknown, number][] = [
      [{ a: 1, b: [1, 2, { c: 'x' }] }, { b: [1, 2, { c: 'x' }], a: 1 }, 1],
      [{ a: 1 }, { a: 1, b: undefined }, 0],
      [[1, 2, 3], [1, 2, 3], 1],
      [[1, 2, 3], [1, 3, 2], 0],
      [new Map([['k', { v: 1 }]]), new Map([['k', { v: 1 }]]), 1],
      [new Map([['k', 1]]), new Map([['k', 2]]), 0],
      [new Map([[{ id: 1 }, 'a']]), new Map([[{ id: 1 }, 'a']]), 1],
      [new Set([1, { x: 2 }]), new Set([{ x: 2 }, 1]), 1],
      [new Set([1, 2]), new Set([1, 3]), 0],
      [new Date('2024-01-01T00:00:00Z'), new Date('2024-01-01T00:00:00Z'), 1],
      [new Date('2024-01-01T00:00:00Z'), new Date('2024-01-02T00:00:00Z'), 0],
      [/ab+c/gi, /ab+c/gi, 1],
      [/ab+c/g, /ab+c/i, 0],
      [new Uint8Array([1, 2]), new Uint8Array([1, 2]), 1],
      [new Uint8Array([1, 2]), new Int8Array([1, 2]), 0],
      [{ a: 1 }, Object.assign(Object.create(null), { a: 1 }), 1],
      [
        new (class Point {
          x = 1
        })(),
        { x: 1 },
        0,
      ],
    ]
    for (const [index, [output, expected, score]] of cases.entries()) {
      expect((await scoreWith(exactMatch(expected), output)).value, `case ${index}`).toBe(score)
    }
  })

  test('treats NaN as equal to NaN and 0 as equal to -0, like a value comparison should', async () => {
    expect((await scoreWith(exactMatch(Number.NaN), Number.NaN)).value).toBe(1)
    expect((await scoreWith(exactMatch(0), -0)).value).toBe(1)
    expect((await scoreWith(exactMatch([Number.NaN]), [Number.NaN])).value).toBe(1)
  })

  test('does not coerce types: the number 1 is not the string "1", null is not undefined', async () => {
    expect((await scoreWith(exactMatch<unknown>('1'), 1)).value).toBe(0)
    expect((await scoreWith(exactMatch<unknown>(null), undefined)).value).toBe(0)
    expect((await scoreWith(exactMatch<unknown>(null), null)).value).toBe(1)
  })

  test('compares unicode strings by their code units: precomposed é differs from e + combining accent', async () => {
    expect((await scoreWith(exactMatch('café 🎉'), 'café 🎉')).value).toBe(1)
    expect((await scoreWith(exactMatch('caf\u00e9'), 'cafe\u0301')).value).toBe(0)
  })

  test('compares empty and 1 MB strings', async () => {
    expect((await scoreWith(exactMatch(''), '')).value).toBe(1)
    const big = 'x'.repeat(1024 * 1024)
    expect((await scoreWith(exactMatch(big), `${big}`)).value).toBe(1)
    expect((await scoreWith(exactMatch(big), `${big}y`)).value).toBe(0)
  })

  test('compares circular structures by shape without looping', async () => {
    expect((await scoreWith(exactMatch(circular('a')), circular('a'))).value).toBe(1)
    expect((await scoreWith(exactMatch(circular('a')), circular('b'))).value).toBe(0)
  })

  test('scores 0 with the reason when a getter of the output throws', async () => {
    const result = await scoreWith(exactMatch({ visible: 1, secret: 2 }), withThrowingGetter())
    expect(result.value).toBe(0)
    expect(result.error).toBeUndefined()
    expect(result.metadata.reason).toMatch(/could not compare: Error: getter exploded/)
  })

  test('draws the expected value from the call with a function', async () => {
    const scorer = exactMatch((ctx) => (ctx.input as { answer: string }).answer)
    expect((await scoreWith(scorer, 'B', contextOf([{ answer: 'B' }]))).value).toBe(1)
    expect((await scoreWith(scorer, 'A', contextOf([{ answer: 'B' }]))).value).toBe(0)
  })

  test("uses the task's expected value when none is given", async () => {
    expect((await scoreWith(exactMatch(), 42, contextOf([{}], 42))).value).toBe(1)
    expect((await scoreWith(exactMatch(), 41, contextOf([{}], 42))).value).toBe(0)
  })

  test('is an error naming the ways to provide one when there is no expected value at all', async () => {
    const result = await scoreWith(exactMatch(), 'anything', contextOf(['question']))
    expect(result.value).toBe(0)
    expect(result.error).toMatch(
      /scorer "exact_match" has no expected value: pass one to exactMatch\(value\)/,
    )
    expect(result.error).toMatch(/`expected` option/)
  })

  test('compares against undefined when a function explicitly returns undefined', async () => {
    expect(
      (
        await scoreWith(
          exactMatch(() => undefined),
          undefined,
        )
      ).value,
    ).toBe(1)
  })

  test('any value deep-equals its structured clone (property)', async () => {
    const scorer = exactMatch((ctx) => structuredClone(ctx.input))
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withMap: true, withSet: true, withDate: true, withTypedArray: true }),
        async (value) => {
          const result = await scoreWith(scorer, value, contextOf([value]))
          expect(result.value).toBe(1)
        },
      ),
      { numRuns: 300 },
    )
  })

  test('two different JSON values never match (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), async (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b))
        const result = await scoreWith(exactMatch(b), a)
        // Differently written JSON can still be equal only through key order or -0.
        const sameContent = JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b))
        expect(result.value).toBe(sameContent ? 1 : 0)
      }),
      { numRuns: 300 },
    )
  })
})

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    )
  }
  return Object.is(value, -0) ? 0 : value
}
