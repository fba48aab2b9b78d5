import { afterEach, describe, expect, test, vi } from 'vitest'
import { z } from 'zod'
import { evalTask, ScoreAssertionError, scorer } from '../../src/index.js'
import {
  exactMatch,
  includes,
  invert,
  jsonValid,
  levenshtein,
  llmJudge,
  matchesSchema,
  threshold,
} from '../../src/scorers/index.js'

interface Question {
  country: string
  expected: string
}

const capitals: Record<string, string> = { France: 'Paris', Norway: 'Oslo', Italy: 'Rome' }

/** Answers with the capital, misspelling Oslo. */
async function capital(row: Question): Promise<string> {
  return row.country === 'Norway' ? 'Olso' : (capitals[row.country] ?? 'unknown')
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('built-in scorers on a task (detached, no run)', () => {
  test('each scorer logs one metric on the span, named after it, with source "scorer"', async () => {
    const task = evalTask({ scorers: [exactMatch(), levenshtein(), includes('Par')] }, capital)
    const span = await task.run({ country: 'France', expected: 'Paris' })
    expect(span.failed).toBe(false)
    expect(Object.keys(span.metrics).sort()).toEqual(['exact_match', 'includes', 'levenshtein'])
    for (const name of ['exact_match', 'includes', 'levenshtein']) {
      expect(span.metrics[name]).toHaveLength(1)
      expect(span.metrics[name]?.[0]).toMatchObject({ name, value: 1, source: 'scorer' })
    }
  })

  test("the scorer's metadata is kept in the metric's attributes", async () => {
    const task = evalTask({ scorers: [levenshtein(), jsonValid()] }, capital)
    const span = await task.run({ country: 'Norway', expected: 'Oslo' })
    expect(span.metrics.levenshtein?.[0]?.value).toBe(0.5)
    expect(span.metrics.levenshtein?.[0]?.attributes).toMatchObject({ distance: 2 })
    expect(span.metrics.json_valid?.[0]?.value).toBe(0)
    expect(span.metrics.json_valid?.[0]?.attributes.reason).toMatch(/^not JSON text/)
  })

  test("scorers compare against input.expected by default and the task's expected option when given", async () => {
    const byInput = evalTask({ scorers: [exactMatch()] }, capital)
    expect((await byInput.run({ country: 'Italy', expected: 'Rome' })).metrics.exact_match?.[0]?.value).toBe(
      1,
    )
    const byHook = evalTask(
      { scorers: [exactMatch()], expected: ({ input }) => capitals[(input as Question).country] },
      capital,
    )
    expect(
      (await byHook.run({ country: 'Italy', expected: 'wrong on purpose' })).metrics.exact_match?.[0]?.value,
    ).toBe(1)
  })

  test('a renamed scorer logs under its new name', async () => {
    const task = evalTask({ scorers: [exactMatch(undefined, { name: 'Exact Capital' })] }, capital)
    const span = await task.run({ country: 'France', expected: 'Paris' })
    expect(Object.keys(span.metrics)).toEqual(['exact_capital'])
  })

  test('scores of many calls are kept per span', async () => {
    const task = evalTask({ scorers: [exactMatch()] }, capital)
    const spans = await task.mapRun([
      { country: 'France', expected: 'Paris' },
      { country: 'Norway', expected: 'Oslo' },
    ])
    expect(spans.map((span) => span.metrics.exact_match?.[0]?.value)).toEqual([1, 0])
  })
})

describe('a scorer that fails on a task', () => {
  test('records 0 with the error in the attributes and a console warning; the task still succeeds', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = scorer('broken', () => {
      throw new Error('judge offline')
    })
    const task = evalTask({ scorers: [broken, exactMatch()] }, capital)
    const span = await task.runAlways({ country: 'France', expected: 'Paris' })
    expect(span.failed).toBe(false)
    expect(span.output).toBe('Paris')
    expect(span.metrics.broken?.[0]?.value).toBe(0)
    expect(span.metrics.broken?.[0]?.attributes.error).toBe('scorer "broken" failed: Error: judge offline')
    expect(span.metrics.exact_match?.[0]?.value).toBe(1)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /task "capital": scorer "broken" failed: Error: judge offline; scored 0/,
    )
  })

  test('a combinator whose inner scorer throws records 0 and a warning naming both', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = scorer('broken', () => {
      throw new Error('nope')
    })
    const task = evalTask({ scorers: [threshold(broken, { gte: 0.5 })] }, capital)
    const span = await task.run({ country: 'France', expected: 'Paris' })
    expect(span.metrics.broken_threshold?.[0]?.value).toBe(0)
    expect(span.metrics.broken_threshold?.[0]?.attributes.error).toMatch(
      /inner scorer "broken" failed: Error: nope/,
    )
    expect(warn).toHaveBeenCalledTimes(1)
  })

  test('an unreadable judge reply records 0 with the reply quoted in the error', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const judge = async () => 'No comment.'
    const task = evalTask({ scorers: [llmJudge({ judge, rubric: 'names the capital' })] }, capital)
    const span = await task.run({ country: 'France', expected: 'Paris' })
    expect(span.metrics.llm_judge?.[0]?.value).toBe(0)
    expect(span.metrics.llm_judge?.[0]?.attributes.error).toMatch(
      /could not read a score from the judge's reply "No comment\."/,
    )
  })

  test("a judge's reasoning lands in the metric's attributes", async () => {
    const judge = async (prompt: string) =>
      prompt.includes('Paris') ? 'Reasoning: correct capital.\nScore: 9/10' : 'Score: 0'
    const task = evalTask({ scorers: [llmJudge({ judge, rubric: 'names the capital' })] }, capital)
    const span = await task.run({ country: 'France', expected: 'Paris' })
    expect(span.metrics.llm_judge?.[0]?.value).toBe(0.9)
    expect(span.metrics.llm_judge?.[0]?.attributes).toMatchObject({
      reasoning: 'correct capital.',
      raw_score: '9/10',
    })
  })
})

describe('assertScores', () => {
  const rows = {
    good: { country: 'France', expected: 'Paris' },
    bad: { country: 'Norway', expected: 'Oslo' },
  }

  test('fails the task with a ScoreAssertionError listing each failed score', async () => {
    const task = evalTask(
      { scorers: [exactMatch(), includes('Oslo'), levenshtein()], assertScores: true },
      capital,
    )
    const error = await task.run(rows.bad).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toBeInstanceOf(ScoreAssertionError)
    expect((error as ScoreAssertionError).failures).toEqual([
      { name: 'exact_match', value: 0 },
      { name: 'includes', value: 0 },
    ])
    expect((error as Error).message).toBe(
      'task "capital" failed its asserted scores: exact_match = 0, includes = 0',
    )
  })

  test('passes when every asserted score is truthy', async () => {
    const task = evalTask({ scorers: [exactMatch(), levenshtein()], assertScores: true }, capital)
    await expect(task(rows.good)).resolves.toBe('Paris')
  })

  test('only the listed scores are asserted', async () => {
    const task = evalTask({ scorers: [exactMatch(), levenshtein()], assertScores: ['levenshtein'] }, capital)
    await expect(task(rows.bad)).resolves.toBe('Olso')
    const strict = task.with({ assertScores: ['exact_match'] })
    await expect(strict(rows.bad)).rejects.toThrow(/failed its asserted scores: exact_match = 0/)
  })

  test('the try forms return undefined (or drop the call) for an asserted failure', async () => {
    const task = evalTask({ scorers: [exactMatch()], assertScores: true }, capital)
    expect(await task.try(rows.bad)).toBeUndefined()
    expect(await task.tryRun(rows.bad)).toBeUndefined()
    expect(await task.tryMap([rows.good, rows.bad, rows.good])).toEqual(['Paris', 'Paris'])
    const spans = await task.tryMapRun([rows.bad, rows.good])
    expect(spans.map((span) => span.output)).toEqual(['Paris'])
    expect(await task.try(rows.good)).toBe('Paris')
  })

  test('the failed span still carries the scores that failed it', async () => {
    const task = evalTask({ scorers: [exactMatch()], assertScores: true }, capital)
    const span = await task.runAlways(rows.bad)
    expect(span.failed).toBe(true)
    expect(span.error).toBeInstanceOf(ScoreAssertionError)
    expect(span.metrics.exact_match?.[0]?.value).toBe(0)
  })

  test('a scorer that throws fails the task when its score is asserted', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {})
    const broken = scorer('broken', () => {
      throw new Error('nope')
    })
    const task = evalTask({ scorers: [broken], assertScores: ['broken'] }, capital)
    await expect(task(rows.good)).rejects.toBeInstanceOf(ScoreAssertionError)
  })

  test('asserting a score no scorer produces is an error at definition, naming the scorers', () => {
    expect(() => evalTask({ scorers: [exactMatch()], assertScores: ['levenshtein'] }, capital)).toThrow(
      /asserts score "levenshtein", which none of its scorers produces \(scorers: exact_match\)/,
    )
  })

  test('asserting the derived name of a combinator works', async () => {
    const task = evalTask(
      { scorers: [threshold(levenshtein(), { gte: 0.9 })], assertScores: ['levenshtein_threshold'] },
      capital,
    )
    await expect(task(rows.good)).resolves.toBe('Paris')
    await expect(task(rows.bad)).rejects.toThrow(/levenshtein_threshold = 0/)
  })
})

describe('autoevals-shaped functions as task scorers', () => {
  test('receive output, expected (from input.expected) and input, and log under their function name', async () => {
    const seen: unknown[] = []
    function Factuality(args: { output: string; expected?: unknown; input?: unknown }) {
      seen.push(args)
      return {
        name: 'Factuality',
        score: args.output === args.expected ? 1 : 0.25,
        metadata: { rationale: 'compared' },
      }
    }
    const task = evalTask({ scorers: [Factuality] }, capital)
    const span = await task.run({ country: 'Norway', expected: 'Oslo' })
    expect(seen).toEqual([
      { output: 'Olso', expected: 'Oslo', input: { country: 'Norway', expected: 'Oslo' } },
    ])
    expect(span.metrics.factuality?.[0]).toMatchObject({
      value: 0.25,
      source: 'scorer',
      attributes: { rationale: 'compared', autoevals_name: 'Factuality' },
    })
  })

  test("receive the expected value from the task's expected option", async () => {
    const seen: unknown[] = []
    const ExactMatch = async (args: { output: string; expected?: unknown }) => {
      seen.push(args.expected)
      return { name: 'ExactMatch', score: args.output === args.expected ? 1 : 0 }
    }
    const task = evalTask({ scorers: [ExactMatch], expected: () => 'Paris' }, async (country: string) =>
      country === 'France' ? 'Paris' : '?',
    )
    const span = await task.run('France')
    expect(seen).toEqual(['Paris'])
    expect(span.metrics.exactmatch?.[0]?.value).toBe(1)
  })

  test('a null autoevals score records 0 and says so', async () => {
    const Unsure = () => ({ name: 'Unsure', score: null })
    const span = await evalTask({ scorers: [Unsure] }, capital).run({ country: 'France', expected: 'Paris' })
    expect(span.metrics.unsure?.[0]).toMatchObject({ value: 0, attributes: { score_was_null: true } })
  })

  test('mix with built-in scorers and combinators', async () => {
    const Levenshtein = ({ output, expected }: { output: string; expected?: unknown }) => ({
      name: 'Levenshtein',
      score: output === expected ? 1 : 0,
    })
    const task = evalTask({ scorers: [invert(Levenshtein), exactMatch()] }, capital)
    const span = await task.run({ country: 'Norway', expected: 'Oslo' })
    expect(span.metrics.levenshtein_inverted?.[0]?.value).toBe(1)
    expect(span.metrics.exact_match?.[0]?.value).toBe(0)
  })
})

describe('schema-checked structured output on a task', () => {
  test('matchesSchema scores a task returning JSON text and lists the issues when it does not fit', async () => {
    const Reply = z.object({ capital: z.string(), confidence: z.number().min(0).max(1) })
    const task = evalTask({ scorers: [matchesSchema(Reply), jsonValid()] }, async (country: string) =>
      country === 'France' ? '{"capital":"Paris","confidence":0.9}' : '{"capital":"Oslo","confidence":7}',
    )
    const good = await task.run('France')
    expect(good.metrics.matches_schema?.[0]?.value).toBe(1)
    const bad = await task.run('Norway')
    expect(bad.metrics.matches_schema?.[0]?.value).toBe(0)
    expect(bad.metrics.json_valid?.[0]?.value).toBe(1)
    expect(bad.metrics.matches_schema?.[0]?.attributes).toMatchObject({
      issues: [{ path: 'confidence', code: 'too_big' }],
      parsed_from_json: true,
    })
  })
})
