import { describe, expect, test } from 'vitest'
import { lengthBetween } from '../../src/scorers/index.js'
import { bigText, circular, scoreWith, withThrowingGetter } from './scorer-harness.js'

describe('lengthBetween', () => {
  test('is named length_between', () => {
    expect(lengthBetween(0, 1).name).toBe('length_between')
  })

  test('scores 1 inside the bounds, both ends included, and 0 outside, with the length in metadata', async () => {
    const scorer = lengthBetween(2, 4)
    expect((await scoreWith(scorer, 'ab')).value).toBe(1)
    expect((await scoreWith(scorer, 'abcd')).value).toBe(1)
    const short = await scoreWith(scorer, 'a')
    expect(short.value).toBe(0)
    expect(short.metadata.length).toBe(1)
    expect((await scoreWith(scorer, 'abcde')).value).toBe(0)
  })

  test('measures arrays by their number of items', async () => {
    expect((await scoreWith(lengthBetween(1, 2), ['a', 'b'])).value).toBe(1)
    expect((await scoreWith(lengthBetween(1, 2), [])).value).toBe(0)
  })

  test('counts code points: an emoji is one character, a combining accent another', async () => {
    expect((await scoreWith(lengthBetween(3, 3), '🎉🎉🎉')).metadata.length).toBe(3)
    expect((await scoreWith(lengthBetween(0, 10), 'cafe\u0301')).metadata.length).toBe(5)
    expect((await scoreWith(lengthBetween(0, 10), '\ud800x')).metadata.length).toBe(2)
  })

  test('accepts an empty string when min is 0 and an open-ended max of Infinity', async () => {
    expect((await scoreWith(lengthBetween(0, 0), '')).value).toBe(1)
    expect((await scoreWith(lengthBetween(10, Number.POSITIVE_INFINITY), bigText(1024 * 1024))).value).toBe(1)
  })

  test('measures a 1 MB string', async () => {
    const result = await scoreWith(lengthBetween(0, 1000), bigText(1024 * 1024))
    expect(result.value).toBe(0)
    expect(result.metadata.length).toBe(1024 * 1024)
  })

  test('scores 0 with a reason for outputs that have no length', async () => {
    for (const output of [
      null,
      undefined,
      12345,
      { length: 3 },
      new Set([1]),
      circular(),
      withThrowingGetter(),
    ]) {
      const result = await scoreWith(lengthBetween(0, 100), output)
      expect(result.value).toBe(0)
      expect(result.error).toBeUndefined()
      expect(result.metadata.reason).toMatch(/not a string or an array$/)
    }
  })

  test('rejects bounds that make no sense at definition', () => {
    expect(() => lengthBetween(-1, 3)).toThrow(/finite min >= 0/)
    expect(() => lengthBetween(5, 3)).toThrow(/max >= min \(5\), got 3/)
    expect(() => lengthBetween(0, Number.NaN)).toThrow(/max >= min/)
  })
})
