import { describe, expect, test } from 'vitest'
import {
  all,
  any,
  exactMatch,
  includes,
  invert,
  levenshtein,
  rename,
  type Scorer,
  scale,
  scorer,
  threshold,
  weightedAvg,
} from '../../src/scorers/index.js'
import { contextOf, scoreWith } from './scorer-harness.js'

/** A scorer that always returns `value` (with a marker in its metadata). */
function fixed(name: string, value: number | boolean): Scorer {
  return scorer(name, () => ({ score: value, metadata: { from: name } }))
}

/** A scorer that always throws. */
function exploding(name = 'boom'): Scorer {
  return scorer(name, () => {
    throw new Error('kaput')
  })
}

describe('threshold', () => {
  test('scores 1 when every given bound holds and 0 otherwise', async () => {
    const cases: [Parameters<typeof threshold>[1], number, number][] = [
      [{ gte: 0.5 }, 0.5, 1],
      [{ gte: 0.5 }, 0.49, 0],
      [{ gt: 0.5 }, 0.5, 0],
      [{ gt: 0.5 }, 0.51, 1],
      [{ lte: 0.2 }, 0.2, 1],
      [{ lt: 0.2 }, 0.2, 0],
      [{ gte: 0.2, lt: 0.8 }, 0.5, 1],
      [{ gte: 0.2, lt: 0.8 }, 0.8, 0],
      [{ gte: 0.2, lt: 0.8 }, 0.1, 0],
    ]
    for (const [bounds, value, expected] of cases) {
      const result = await scoreWith(threshold(fixed('inner', value), bounds), 'x')
      expect(result.value, `${JSON.stringify(bounds)} on ${value}`).toBe(expected)
    }
  })

  test('is named <inner>_threshold, cleaned, unless given a name', () => {
    expect(threshold(levenshtein('a'), { gte: 0.5 }).name).toBe('levenshtein_threshold')
    expect(threshold(fixed('Fuzzy Match!', 1), { gte: 0.5 }).name).toBe('fuzzy_match_threshold')
    expect(threshold(levenshtein('a'), { gte: 0.5, name: 'close_enough' }).name).toBe('close_enough')
  })

  test("keeps the inner scorer's score and metadata under its name", async () => {
    const result = await scoreWith(threshold(levenshtein('kitten'), { gte: 0.5 }), 'sitting')
    expect(result.value).toBe(1)
    expect(result.metadata).toEqual({ levenshtein: { score: 1 - 3 / 7, distance: 3 } })
  })

  test('treats a boolean inner score as 1 or 0', async () => {
    expect((await scoreWith(threshold(fixed('flag', true), { gte: 1 }), 'x')).value).toBe(1)
    expect((await scoreWith(threshold(fixed('flag', false), { gte: 1 }), 'x')).value).toBe(0)
  })

  test('needs at least one numeric bound', () => {
    expect(() => threshold(fixed('a', 1), {})).toThrow(/at least one bound: \{ gte, gt, lte, lt \}/)
    expect(() => threshold(fixed('a', 1), { gte: Number.NaN })).toThrow(/bound "gte" must be a number/)
  })
})

describe('invert', () => {
  test('scores 1 − v', async () => {
    expect((await scoreWith(invert(fixed('a', 0.25)), 'x')).value).toBe(0.75)
    expect((await scoreWith(invert(fixed('a', 1)), 'x')).value).toBe(0)
    expect((await scoreWith(invert(fixed('a', false)), 'x')).value).toBe(1)
    expect((await scoreWith(invert(fixed('a', 3)), 'x')).value).toBe(-2)
  })

  test('is named <inner>_inverted and keeps the inner metadata', async () => {
    const inverted = invert(includes('error'))
    expect(inverted.name).toBe('includes_inverted')
    const result = await scoreWith(inverted, 'all good')
    expect(result.value).toBe(1)
    expect(result.metadata).toEqual({ includes: { score: 0 } })
  })
})

describe('scale', () => {
  test('scores k · v', async () => {
    expect((await scoreWith(scale(fixed('a', 0.5), 4), 'x')).value).toBe(2)
    expect((await scoreWith(scale(fixed('a', 0.5), -1), 'x')).value).toBe(-0.5)
    expect((await scoreWith(scale(fixed('a', 0.75), 0), 'x')).value).toBe(0)
    expect((await scoreWith(scale(fixed('a', true), 10), 'x')).value).toBe(10)
  })

  test('is named <inner>_scaled and rejects a non-finite factor', () => {
    expect(scale(fixed('a', 1), 2).name).toBe('a_scaled')
    expect(() => scale(fixed('a', 1), Number.POSITIVE_INFINITY)).toThrow(/finite factor/)
  })
})

describe('rename', () => {
  test('logs under the new name with the same value and metadata', async () => {
    const renamed = rename(levenshtein('abcd'), 'closeness')
    expect(renamed.name).toBe('closeness')
    const result = await scoreWith(renamed, 'abce')
    expect(result).toEqual({ name: 'closeness', value: 0.75, metadata: { distance: 1 }, error: undefined })
  })

  test('passes failures through, under the new name', async () => {
    const result = await scoreWith(rename(exploding(), 'renamed'), 'x')
    expect(result.value).toBe(0)
    expect(result.error).toBe('scorer "renamed" failed: Error: kaput')
  })

  test('rejects a name with no letters, digits or underscore', () => {
    expect(() => rename(fixed('a', 1), '!!!')).toThrow(/needs a name with letters/)
  })
})

describe('weightedAvg', () => {
  test('scores Σ w·v / Σ w', async () => {
    const average = weightedAvg([fixed('a', 1), 3], [fixed('b', 0.5), 1])
    // (3·1 + 1·0.5) / 4
    expect((await scoreWith(average, 'x')).value).toBe(0.875)
    expect((await scoreWith(weightedAvg([fixed('a', 0.25), 1]), 'x')).value).toBe(0.25)
    expect((await scoreWith(weightedAvg([fixed('a', 1), 0], [fixed('b', 0.5), 2]), 'x')).value).toBe(0.5)
    expect((await scoreWith(weightedAvg([fixed('a', true), 1], [fixed('b', false), 1]), 'x')).value).toBe(0.5)
  })

  test('is named weighted_avg, or by a trailing { name }', () => {
    expect(weightedAvg([fixed('a', 1), 1]).name).toBe('weighted_avg')
    expect(weightedAvg([fixed('a', 1), 1], [fixed('b', 1), 2], { name: 'overall' }).name).toBe('overall')
  })

  test('keeps each inner score and metadata under its name, numbering repeated names', async () => {
    const result = await scoreWith(
      weightedAvg([includes('a'), 1], [includes('z'), 1], [fixed('c', 0.5), 2]),
      'abc',
    )
    expect(result.value).toBe((1 + 0 + 2 * 0.5) / 4)
    expect(result.metadata).toEqual({
      includes: { score: 1 },
      includes_2: { score: 0 },
      c: { score: 0.5, from: 'c' },
    })
  })

  test('rejects no pairs, negative or non-finite weights and weights adding up to 0', () => {
    expect(() => weightedAvg()).toThrow(/at least one \[scorer, weight\] pair/)
    expect(() => weightedAvg([fixed('a', 1), -1])).toThrow(/weight 1 must be a finite number >= 0, got -1/)
    expect(() => weightedAvg([fixed('a', 1), Number.NaN])).toThrow(/weight 1 must be a finite number >= 0/)
    expect(() => weightedAvg([fixed('a', 1), 0], [fixed('b', 1), 0])).toThrow(/add up to more than 0/)
    expect(() => weightedAvg(fixed('a', 1) as unknown as [Scorer, number])).toThrow(
      /argument 1 must be a \[scorer, weight\] pair/,
    )
  })
})

describe('all and any', () => {
  test('all scores the minimum of the values, any the maximum', async () => {
    const values = [fixed('a', 0.75), fixed('b', 0.25), fixed('c', 0.5)]
    expect((await scoreWith(all(...values), 'x')).value).toBe(0.25)
    expect((await scoreWith(any(...values), 'x')).value).toBe(0.75)
  })

  test('act as AND and OR over boolean scorers', async () => {
    expect((await scoreWith(all(includes('a'), includes('b')), 'ab')).value).toBe(1)
    expect((await scoreWith(all(includes('a'), includes('z')), 'ab')).value).toBe(0)
    expect((await scoreWith(any(includes('a'), includes('z')), 'ab')).value).toBe(1)
    expect((await scoreWith(any(includes('y'), includes('z')), 'ab')).value).toBe(0)
  })

  test('with one scorer, both give its value', async () => {
    expect((await scoreWith(all(fixed('a', 0.5)), 'x')).value).toBe(0.5)
    expect((await scoreWith(any(fixed('a', 0.5)), 'x')).value).toBe(0.5)
  })

  test('are named all and any, or by a trailing { name }', () => {
    expect(all(fixed('a', 1)).name).toBe('all')
    expect(any(fixed('a', 1)).name).toBe('any')
    expect(all(fixed('a', 1), fixed('b', 1), { name: 'strict' }).name).toBe('strict')
    expect(any(fixed('a', 1), { name: 'lenient' }).name).toBe('lenient')
  })

  test('keep each inner score and metadata under its name', async () => {
    const result = await scoreWith(all(exactMatch('ab'), levenshtein('abc')), 'ab')
    expect(result.metadata).toEqual({
      exact_match: { score: 1 },
      levenshtein: { score: 1 - 1 / 3, distance: 1 },
    })
  })

  test('need at least one scorer and reject things that are not scorers', () => {
    expect(() => all()).toThrow(/all\(\) needs at least one scorer/)
    expect(() => any({ name: 'x' })).toThrow(/any\(\) needs at least one scorer/)
    expect(() => all(42 as unknown as Scorer)).toThrow(
      /all\(\) has a scorer that is neither a scorer\(\) nor a function/,
    )
  })
})

describe('combinators and failing inner scorers', () => {
  test('an inner scorer that throws makes the combinator an error naming it (the task records 0 and a warning)', async () => {
    const cases: [string, Scorer][] = [
      ['boom_threshold', threshold(exploding(), { gte: 0.5 })],
      ['boom_inverted', invert(exploding())],
      ['boom_scaled', scale(exploding(), 2)],
      ['weighted_avg', weightedAvg([fixed('ok', 1), 1], [exploding(), 1])],
      ['all', all(fixed('ok', 1), exploding())],
      ['any', any(fixed('ok', 1), exploding())],
    ]
    for (const [name, combined] of cases) {
      const result = await scoreWith(combined, 'x')
      expect(result.value).toBe(0)
      expect(result.error).toBe(`scorer "${name}" failed: Error: inner scorer "boom" failed: Error: kaput`)
    }
  })

  test('an inner scorer returning something that is not a score is an error too', async () => {
    const garbage = scorer('garbage', () => Number.NaN)
    const result = await scoreWith(invert(garbage), 'x')
    expect(result.value).toBe(0)
    expect(result.error).toMatch(/inner scorer "garbage" returned .*NaN.*, not a finite number/)
  })

  test('an inner failure deep in nested combinators reaches the outer error', async () => {
    const nested = threshold(weightedAvg([all(fixed('a', 1), exploding()), 1]), { gte: 0.5 })
    const result = await scoreWith(nested, 'x')
    expect(result.error).toMatch(
      /inner scorer "weighted_avg" failed: Error: inner scorer "all" failed: Error: inner scorer "boom" failed/,
    )
  })

  test('nested combinators compute exact values and nest metadata', async () => {
    const nested = weightedAvg([invert(fixed('a', 0.25)), 1], [scale(fixed('b', 0.5), 2), 3])
    const result = await scoreWith(nested, 'x')
    // (1 · 0.75 + 3 · 1) / 4
    expect(result.value).toBe(0.9375)
    expect(result.metadata).toEqual({
      a_inverted: { score: 0.75, a: { score: 0.25, from: 'a' } },
      b_scaled: { score: 1, b: { score: 0.5, from: 'b' } },
    })
  })

  test('combinators pass the scorer context through to inner scorers', async () => {
    const result = await scoreWith(
      all(exactMatch(), includes()),
      'Oslo',
      contextOf([{ expected: 'Oslo' }], 'Oslo'),
    )
    expect(result.value).toBe(1)
  })

  test('inner scorers run concurrently', async () => {
    let running = 0
    let peak = 0
    const slow = (name: string) =>
      scorer(name, async () => {
        running++
        peak = Math.max(peak, running)
        await new Promise((resolve) => setTimeout(resolve, 20))
        running--
        return 1
      })
    await scoreWith(all(slow('a'), slow('b'), slow('c')), 'x')
    expect(peak).toBe(3)
  })

  test('accept autoevals-shaped functions as inner scorers', async () => {
    const autoevalsLike = ({ output, expected }: { output: unknown; expected?: unknown }) => ({
      name: 'Factuality',
      score: output === expected ? 1 : 0.5,
    })
    const result = await scoreWith(scale(autoevalsLike, 2), 'x', contextOf([{}], 'y'))
    expect(result.value).toBe(1)
    expect(result.metadata).toEqual({ autoevalslike: { score: 0.5, autoevals_name: 'Factuality' } })
  })
})
