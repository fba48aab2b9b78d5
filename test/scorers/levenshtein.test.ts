import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { levenshtein } from '../../src/scorers/index.js'
import { bigText, circular, contextOf, scoreWith, withThrowingGetter } from './scorer-harness.js'

/** Textbook Levenshtein distance over code points, full matrix (the reference). */
function referenceDistance(a: string, b: string): number {
  const x = Array.from(a)
  const y = Array.from(b)
  const rows = Array.from({ length: x.length + 1 }, (_, i) =>
    Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = rows[i] as number[]
      const above = rows[i - 1] as number[]
      row[j] = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      )
    }
  }
  return (rows[x.length] as number[])[y.length] as number
}

function referenceSimilarity(a: string, b: string): number {
  const longest = Math.max(Array.from(a).length, Array.from(b).length)
  return longest === 0 ? 1 : 1 - referenceDistance(a, b) / longest
}

describe('levenshtein', () => {
  test('scores 1 − distance / max(length): kitten → sitting is 3 edits over 7', async () => {
    const result = await scoreWith(levenshtein('sitting'), 'kitten')
    expect(result.value).toBe(1 - 3 / 7)
    expect(result.metadata.distance).toBe(3)
  })

  test('is named levenshtein', () => {
    expect(levenshtein('x').name).toBe('levenshtein')
  })

  test('scores identical strings 1 and completely different strings of equal length 0', async () => {
    expect((await scoreWith(levenshtein('abc'), 'abc')).value).toBe(1)
    expect((await scoreWith(levenshtein('abc'), 'xyz')).value).toBe(0)
  })

  test('two empty strings score 1; one empty string scores 0', async () => {
    expect((await scoreWith(levenshtein(''), '')).value).toBe(1)
    expect((await scoreWith(levenshtein(''), 'abc')).value).toBe(0)
    expect((await scoreWith(levenshtein('abc'), '')).value).toBe(0)
  })

  test('counts an emoji as one character, not two UTF-16 units', async () => {
    const result = await scoreWith(levenshtein('😀'), '😁')
    expect(result.metadata.distance).toBe(1)
    expect(result.value).toBe(0)
    expect((await scoreWith(levenshtein('hi 😀'), 'hi 😁')).value).toBe(1 - 1 / 4)
  })

  test('counts a combining accent as its own code point (no normalisation)', async () => {
    const result = await scoreWith(levenshtein('caf\u00e9'), 'cafe\u0301')
    expect(result.metadata.distance).toBe(2)
    expect(result.value).toBe(1 - 2 / 5)
  })

  test('is symmetric', async () => {
    expect((await scoreWith(levenshtein('flaw'), 'lawn')).value).toBe(
      (await scoreWith(levenshtein('lawn'), 'flaw')).value,
    )
  })

  test('agrees with the textbook algorithm on random strings, unicode included (property)', async () => {
    const text = fc.string({
      unit: fc.constantFrom('a', 'b', 'c', 'é', 'e\u0301', '😀', '🎉'),
      maxLength: 30,
    })
    await fc.assert(
      fc.asyncProperty(text, text, async (a, b) => {
        const result = await scoreWith(levenshtein(b), a)
        expect(result.metadata.distance).toBe(referenceDistance(a, b))
        expect(result.value).toBeCloseTo(referenceSimilarity(a, b), 12)
        expect(result.value).toBeGreaterThanOrEqual(0)
        expect(result.value).toBeLessThanOrEqual(1)
      }),
      { numRuns: 400 },
    )
  })

  test('the banded computation under a small cell budget is exact whenever it answers (property)', async () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd'), minLength: 20, maxLength: 60 })
    await fc.assert(
      fc.asyncProperty(text, text, async (a, b) => {
        const result = await scoreWith(levenshtein(b, { maxCells: 400 }), a)
        const distance = referenceDistance(a, b)
        if (result.error === undefined) {
          expect(result.metadata.distance).toBe(distance)
        } else {
          const claimed = Number(/differ by at least (\d+) edits/.exec(result.error)?.[1])
          expect(distance).toBeGreaterThanOrEqual(claimed)
        }
      }),
      { numRuns: 400 },
    )
  })

  test('compares two identical 1 MB strings at once (common prefix stripped)', async () => {
    const big = bigText(1024 * 1024)
    const started = performance.now()
    const result = await scoreWith(levenshtein(big), `${big}`)
    expect(result.value).toBe(1)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  test('gives the exact distance of two 1 MB strings differing by a few edits in the middle (banded)', async () => {
    const big = bigText(1024 * 1024, 7)
    const edited = `${big.slice(0, 300_000)}XYZ${big.slice(300_010, 700_000)}${big.slice(700_050)}`
    const result = await scoreWith(levenshtein(big), edited)
    expect(result.error).toBeUndefined()
    expect(result.metadata.distance).toBe(60)
    expect(result.value).toBe(1 - 60 / big.length)
  })

  test('scores 0 for a 1 MB string against the empty string without computing a matrix', async () => {
    const result = await scoreWith(levenshtein(''), bigText(1024 * 1024))
    expect(result.value).toBe(0)
    expect(result.metadata.distance).toBe(1024 * 1024)
  })

  test('two unrelated 1 MB strings are an error naming the sizes and maxCells, quickly, instead of a made-up score', async () => {
    const started = performance.now()
    const result = await scoreWith(levenshtein(bigText(1024 * 1024, 1)), bigText(1024 * 1024, 2))
    expect(performance.now() - started).toBeLessThan(5000)
    expect(result.value).toBe(0)
    expect(result.error).toMatch(/1048576 and 1048576 code points\) differ by at least \d+ edits/)
    expect(result.error).toMatch(/maxCells = 100000000/)
  })

  test('a larger maxCells lets moderately long unrelated strings be compared exactly', async () => {
    const a = bigText(1500, 1)
    const b = bigText(1500, 2)
    expect((await scoreWith(levenshtein(b, { maxCells: 1000 }), a)).error).toMatch(/raise maxCells/)
    const exact = await scoreWith(levenshtein(b, { maxCells: 10_000_000 }), a)
    expect(exact.metadata.distance).toBe(referenceDistance(a, b))
  })

  test('scores 0 with a reason for outputs that are not strings', async () => {
    for (const output of [null, undefined, 12345, ['abc'], circular(), withThrowingGetter()]) {
      const result = await scoreWith(levenshtein('abc'), output)
      expect(result.value).toBe(0)
      expect(result.error).toBeUndefined()
      expect(result.metadata.reason).toMatch(/^output is .+, not a string$/)
    }
  })

  test('draws the expected string from the call, or uses the task expected value', async () => {
    const fromCall = levenshtein((ctx) => (ctx.input as { answer: string }).answer)
    expect((await scoreWith(fromCall, 'abcd', contextOf([{ answer: 'abce' }]))).value).toBe(0.75)
    expect((await scoreWith(levenshtein(), 'abcd', contextOf([{}], 'abcd'))).value).toBe(1)
  })

  test('is an error when the expected value is not a string', async () => {
    const result = await scoreWith(levenshtein(), 'abc', contextOf([{}], 123))
    expect(result.value).toBe(0)
    expect(result.error).toMatch(/levenshtein compares strings; the expected value is a number/)
    expect(() => levenshtein(123 as unknown as string)).toThrow(/the expected value is a number/)
    expect(() => levenshtein('a', { maxCells: 0 })).toThrow(/"maxCells" must be a number >= 1/)
  })
})
