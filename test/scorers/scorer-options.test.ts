import { describe, expect, expectTypeOf, test } from 'vitest'
import { z } from 'zod'
import { evalTask, type ScorerContext } from '../../src/index.js'
import {
  all,
  any,
  exactMatch,
  includes,
  invert,
  jsonValid,
  lengthBetween,
  levenshtein,
  llmJudge,
  matchesSchema,
  numericCloseness,
  rename,
  type Scorer,
  scale,
  scorer,
  threshold,
  weightedAvg,
} from '../../src/scorers/index.js'

const judge = async () => 'Score: 1'
const base = exactMatch('x')

/** Every built-in scorer made with `{ name: 'custom' }`, with its default name. */
const renamedScorers: [string, Scorer<never>][] = [
  ['exact_match', exactMatch('x', { name: 'custom' })],
  ['includes', includes('x', { name: 'custom' })],
  ['levenshtein', levenshtein('x', { name: 'custom' })],
  ['json_valid', jsonValid({ name: 'custom' })],
  ['matches_schema', matchesSchema(z.string(), { name: 'custom' })],
  ['numeric_closeness', numericCloseness(1, { tolerance: 0, name: 'custom' })],
  ['length_between', lengthBetween(0, 1, { name: 'custom' })],
  ['llm_judge', llmJudge({ judge, rubric: 'r', name: 'custom' })],
  ['exact_match_threshold', threshold(base, { gte: 1, name: 'custom' })],
  ['exact_match_inverted', invert(base, { name: 'custom' })],
  ['exact_match_scaled', scale(base, 2, { name: 'custom' })],
  ['weighted_avg', weightedAvg([base, 1], { name: 'custom' })],
  ['all', all(base, { name: 'custom' })],
  ['any', any(base, { name: 'custom' })],
]

describe('scorer names and options', () => {
  test('every built-in scorer takes { name } as its last argument', () => {
    for (const [, renamed] of renamedScorers) expect(renamed.name).toBe('custom')
    expect(rename(base, 'custom').name).toBe('custom')
  })

  test('every built-in scorer has its documented default name', () => {
    const defaults = [
      exactMatch('x'),
      includes('x'),
      levenshtein('x'),
      jsonValid(),
      matchesSchema(z.string()),
      numericCloseness(1),
      lengthBetween(0, 1),
      llmJudge({ judge, rubric: 'r' }),
      threshold(base, { gte: 1 }),
      invert(base),
      scale(base, 2),
      weightedAvg([base, 1]),
      all(base),
      any(base),
    ]
    expect(defaults.map((made) => made.name)).toEqual(renamedScorers.map(([name]) => name))
  })

  test('a name that cleans to nothing is rejected at definition, naming the scorer', () => {
    expect(() => exactMatch('x', { name: '???' })).toThrow(
      /exactMatch\(\): option "name" needs letters, digits or "_", got "\?\?\?"/,
    )
    expect(() => jsonValid({ name: '' })).toThrow(/jsonValid\(\): option "name"/)
    expect(() => all(base, { name: '-' })).toThrow(/all\(\): option "name"/)
  })

  test('an options argument that is not an object is rejected, naming the scorer', () => {
    expect(() => exactMatch('x', 'name' as unknown as { name: string })).toThrow(
      /exactMatch\(\) takes an options object as its last argument, got string/,
    )
    expect(() => levenshtein('x', [] as unknown as { name: string })).toThrow(/got an array/)
    expect(() => threshold(base, null as unknown as { gte: number })).toThrow(
      /threshold\(\) takes an options object/,
    )
  })

  test('a { name } that is also an expected value is read positionally: exactMatch(undefined, { name }) renames', async () => {
    const byName = exactMatch(undefined, { name: 'same_answer' })
    expect(byName.name).toBe('same_answer')
    const literal = exactMatch({ name: 'x' })
    expect(literal.name).toBe('exact_match')
    const context = { args: [], input: undefined, expected: undefined, task: undefined as never }
    expect(await literal.score({ name: 'x' }, context)).toBe(true)
  })

  test('scorers are typed by what they compare, and hooks see the call when the task is known', async () => {
    interface Row {
      question: string
      answer: string
    }
    expectTypeOf(exactMatch(42)).toEqualTypeOf<Scorer<number, unknown[]>>()
    expectTypeOf(levenshtein()).toEqualTypeOf<Scorer<string, unknown[]>>()
    expectTypeOf(matchesSchema(z.object({ n: z.number() }))).toEqualTypeOf<
      Scorer<{ n: number } | string, unknown[]>
    >()
    const task = evalTask(async (row: Row) => row.question.toUpperCase()).with({
      scorers: [
        exactMatch((ctx) => ctx.input.answer),
        levenshtein((ctx) => ctx.input.answer),
        llmJudge({ judge, rubric: 'r', expected: (ctx) => ctx.input.answer }),
        threshold(
          scorer('typed', (output, ctx: ScorerContext<[Row]>) => output === ctx.input.answer),
          { gte: 1 },
        ),
      ],
    })
    // @ts-expect-error a number-comparing scorer does not fit a task returning strings
    evalTask({ scorers: [numericCloseness(1)] }, async () => ({ not: 'a number' }))
    const span = await task.run({ question: 'q', answer: 'Q' })
    expect(span.metrics.exact_match?.[0]?.value).toBe(1)
    expect(span.metrics.typed_threshold?.[0]?.value).toBe(1)
  })
})
