import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { numericCloseness } from '../../src/scorers/index.js'
import { circular, contextOf, scoreWith, withThrowingGetter } from './scorer-harness.js'

describe('numericCloseness', () => {
  test('is named numeric_closeness', () => {
    expect(numericCloseness(1).name).toBe('numeric_closeness')
  })

  test('scores 1 for an exact answer and within the tolerance, edge included', async () => {
    expect((await scoreWith(numericCloseness(10), 10)).value).toBe(1)
    expect((await scoreWith(numericCloseness(10, { tolerance: 0.5 }), 10.5)).value).toBe(1)
    expect((await scoreWith(numericCloseness(10, { tolerance: 0.5 }), 9.5)).value).toBe(1)
  })

  test('decays as 1 − (|d| − tolerance) / (|output| + |expected|) beyond the tolerance', async () => {
    // d = 2, no tolerance: 1 − 2 / (1 + 3)
    expect((await scoreWith(numericCloseness(1), 3)).value).toBe(0.5)
    // d = 4, tolerance 2: 1 − (4 − 2) / (6 + 2)
    expect((await scoreWith(numericCloseness(2, { tolerance: 2 }), 6)).value).toBe(0.75)
    // d = 6, no tolerance: 1 − 6 / (2 + 8)
    const far = await scoreWith(numericCloseness(2), 8)
    expect(far.value).toBe(0.4)
    expect(far.metadata.difference).toBe(6)
  })

  test('reaches 0 for opposite signs and for a non-zero answer when 0 is expected without tolerance', async () => {
    expect((await scoreWith(numericCloseness(5), -5)).value).toBe(0)
    expect((await scoreWith(numericCloseness(0), 0.001)).value).toBe(0)
    expect((await scoreWith(numericCloseness(0, { tolerance: 0.01 }), 0.001)).value).toBe(1)
  })

  test('stays in [0, 1], is 1 within tolerance and never increases as the gap grows (property)', async () => {
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true })
    await fc.assert(
      fc.asyncProperty(
        finite,
        finite,
        fc.double({ min: 0, max: 100, noNaN: true }),
        async (expected, output, tolerance) => {
          const scorer = numericCloseness(expected, { tolerance })
          const near = await scoreWith(scorer, output)
          expect(near.error).toBeUndefined()
          expect(near.value).toBeGreaterThanOrEqual(0)
          expect(near.value).toBeLessThanOrEqual(1)
          if (Math.abs(output - expected) <= tolerance) expect(near.value).toBe(1)
          const step = output >= expected ? 1 : -1
          const farther = await scoreWith(scorer, output + step * 10)
          expect(farther.value).toBeLessThanOrEqual(near.value + 1e-12)
        },
      ),
      { numRuns: 300 },
    )
  })

  test('reads numeric strings and bigints as numbers', async () => {
    expect((await scoreWith(numericCloseness(42), ' 42 ')).value).toBe(1)
    expect((await scoreWith(numericCloseness(1500), '1.5e3')).value).toBe(1)
    expect((await scoreWith(numericCloseness(42), 42n)).value).toBe(1)
    expect((await scoreWith(numericCloseness('42' as unknown as number), 42)).value).toBe(1)
  })

  test('scores 0 with a reason for outputs that are not finite numbers', async () => {
    const outputs = [
      null,
      undefined,
      '',
      'forty-two',
      '42 apples',
      '4 2',
      Number.NaN,
      Number.POSITIVE_INFINITY,
      '1'.repeat(1_000_000),
      true,
      [42],
      { n: 42 },
      circular(),
      withThrowingGetter(),
    ]
    for (const output of outputs) {
      const result = await scoreWith(numericCloseness(42), output)
      expect(result.value).toBe(0)
      expect(result.error).toBeUndefined()
      expect(result.metadata.reason).toMatch(/not a finite number$/)
    }
    expect((await scoreWith(numericCloseness(42), 'forty-two')).metadata.reason).toBe(
      'output is the string "forty-two", not a finite number',
    )
  })

  test('draws the expected number from the call, or uses the task expected value', async () => {
    const fromCall = numericCloseness((ctx) => (ctx.input as { total: number }).total)
    expect((await scoreWith(fromCall, 10, contextOf([{ total: 10 }]))).value).toBe(1)
    expect((await scoreWith(numericCloseness(), 3, contextOf([{}], 1))).value).toBe(0.5)
  })

  test('is an error when the expected value is not a finite number', async () => {
    const result = await scoreWith(numericCloseness(), 3, contextOf([{}], 'many'))
    expect(result.error).toMatch(/needs a finite expected number, got the string "many"/)
    expect(() => numericCloseness(Number.NaN)).toThrow(/needs a finite expected number, got NaN/)
  })

  test('rejects a negative or non-finite tolerance at definition', () => {
    expect(() => numericCloseness(1, { tolerance: -1 })).toThrow(/"tolerance" must be a finite number >= 0/)
    expect(() => numericCloseness(1, { tolerance: Number.POSITIVE_INFINITY })).toThrow(/"tolerance"/)
  })
})
