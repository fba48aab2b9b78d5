import { describe, expect, test } from 'vitest'
import { includes } from '../../src/scorers/index.js'
import { bigText, circular, contextOf, scoreWith, withThrowingGetter } from './scorer-harness.js'

describe('includes', () => {
  test('scores 1 when the output contains the substring, else 0', async () => {
    expect((await scoreWith(includes('Paris'), 'The capital is Paris.')).value).toBe(1)
    expect((await scoreWith(includes('Paris'), 'The capital is Lyon.')).value).toBe(0)
  })

  test('is named includes', () => {
    expect(includes('x').name).toBe('includes')
  })

  test('is case-sensitive unless ignoreCase is set', async () => {
    expect((await scoreWith(includes('paris'), 'PARIS')).value).toBe(0)
    expect((await scoreWith(includes('paris', { ignoreCase: true }), 'PARIS')).value).toBe(1)
    expect((await scoreWith(includes(/paris/, { ignoreCase: true }), 'PARIS')).value).toBe(1)
  })

  test('matches a RegExp', async () => {
    expect((await scoreWith(includes(/\b\d{4}-\d{2}-\d{2}\b/), 'due 2024-05-01')).value).toBe(1)
    expect((await scoreWith(includes(/^yes$/i), 'Yes')).value).toBe(1)
    expect((await scoreWith(includes(/^yes$/), 'yes please')).value).toBe(0)
  })

  test('gives the same answer every call for a global RegExp (no lastIndex state)', async () => {
    const scorer = includes(/a/g)
    const values = []
    for (let i = 0; i < 4; i++) values.push((await scoreWith(scorer, 'a')).value)
    expect(values).toEqual([1, 1, 1, 1])
  })

  test('an empty needle is contained in every string, even the empty one', async () => {
    expect((await scoreWith(includes(''), '')).value).toBe(1)
    expect((await scoreWith(includes(''), 'abc')).value).toBe(1)
  })

  test('finds emoji and combining characters exactly as written', async () => {
    expect((await scoreWith(includes('🎉'), 'party 🎉 time')).value).toBe(1)
    expect((await scoreWith(includes('e\u0301'), 'caf\u00e9')).value).toBe(0)
    expect((await scoreWith(includes('\u00e9'), 'caf\u00e9')).value).toBe(1)
  })

  test('finds a needle at the end of a 1 MB output', async () => {
    const output = `${bigText(1024 * 1024)}NEEDLE`
    expect((await scoreWith(includes('NEEDLE'), output)).value).toBe(1)
    expect((await scoreWith(includes('ABSENT'), output)).value).toBe(0)
  })

  test('scores 0 with a reason for outputs that are not strings', async () => {
    for (const output of [
      null,
      undefined,
      42,
      ['Paris'],
      { text: 'Paris' },
      circular(),
      withThrowingGetter(),
    ]) {
      const result = await scoreWith(includes('Paris'), output)
      expect(result.value).toBe(0)
      expect(result.error).toBeUndefined()
      expect(result.metadata.reason).toMatch(/^output is .+, not a string$/)
    }
    expect((await scoreWith(includes('4'), 42)).metadata.reason).toBe('output is a number, not a string')
  })

  test('draws the needle from the call, or uses the task expected value when none is given', async () => {
    const fromCall = includes((ctx) => (ctx.input as { city: string }).city)
    expect((await scoreWith(fromCall, 'in Oslo', contextOf([{ city: 'Oslo' }]))).value).toBe(1)
    expect((await scoreWith(includes(), 'in Oslo', contextOf([{}], 'Oslo'))).value).toBe(1)
    expect((await scoreWith(includes(), 'in Oslo', contextOf([{}], /os/i))).value).toBe(1)
  })

  test('is an error when the needle drawn from the call is neither a string nor a RegExp', async () => {
    const result = await scoreWith(includes(), 'text', contextOf([{}], 42))
    expect(result.value).toBe(0)
    expect(result.error).toMatch(/needs a string or a RegExp to look for, got a number/)
  })

  test('rejects a fixed needle of the wrong type at definition', () => {
    expect(() => includes(42 as unknown as string)).toThrow(/includes\(\) needs a string or a RegExp/)
  })
})
