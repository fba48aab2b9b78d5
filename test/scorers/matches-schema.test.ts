import { describe, expect, test } from 'vitest'
import { z } from 'zod'
import { evalTask } from '../../src/index.js'
import { matchesSchema } from '../../src/scorers/index.js'
import { circular, scoreWith, withThrowingGetter } from './scorer-harness.js'

const Answer = z.object({ city: z.string(), population: z.number().int().positive() })

describe('matchesSchema', () => {
  test('is named matches_schema', () => {
    expect(matchesSchema(Answer).name).toBe('matches_schema')
  })

  test('scores 1 for an object output that satisfies the schema', async () => {
    expect((await scoreWith(matchesSchema(Answer), { city: 'Oslo', population: 700_000 })).value).toBe(1)
  })

  test('scores 0 and lists each zod issue with its path', async () => {
    const result = await scoreWith(matchesSchema(Answer), { city: 5, population: -1 })
    expect(result.value).toBe(0)
    expect(result.metadata.issue_count).toBe(2)
    const issues = result.metadata.issues as { path: string; code: string; message: string }[]
    expect(issues.map((issue) => issue.path)).toEqual(['city', 'population'])
    expect(issues[0]?.code).toBe('invalid_type')
    expect(issues[1]?.code).toBe('too_small')
  })

  test('parses a string output as JSON before validating it', async () => {
    expect((await scoreWith(matchesSchema(Answer), '{"city":"Oslo","population":700000}')).value).toBe(1)
    const bad = await scoreWith(matchesSchema(Answer), '{"city":"Oslo"}')
    expect(bad.value).toBe(0)
    expect(bad.metadata.parsed_from_json).toBe(true)
    expect((bad.metadata.issues as { path: string }[])[0]?.path).toBe('population')
  })

  test('a string passes a string schema as it is, and JSON text passes through what it parses to', async () => {
    expect((await scoreWith(matchesSchema(z.string().min(2)), 'hello')).value).toBe(1)
    expect((await scoreWith(matchesSchema(z.number()), '42')).value).toBe(1)
    expect((await scoreWith(matchesSchema(z.string()), '42')).value).toBe(1)
  })

  test('a string that is not JSON is validated as a string, failing an object schema', async () => {
    const result = await scoreWith(matchesSchema(Answer), 'not json at all')
    expect(result.value).toBe(0)
    expect(result.metadata.parsed_from_json).toBeUndefined()
    expect((result.metadata.issues as { code: string }[])[0]?.code).toBe('invalid_type')
  })

  test('handles empty strings, emoji and huge JSON strings', async () => {
    expect((await scoreWith(matchesSchema(Answer), '')).value).toBe(0)
    expect((await scoreWith(matchesSchema(z.object({ e: z.literal('🎉') })), '{"e":"🎉"}')).value).toBe(1)
    const items = Array.from({ length: 40_000 }, (_, i) => ({ id: i, text: 'lorem ipsum' }))
    const schema = z.object({ items: z.array(z.object({ id: z.number(), text: z.string() })) })
    expect((await scoreWith(matchesSchema(schema), JSON.stringify({ items }))).value).toBe(1)
  })

  test('keeps at most 20 issues but counts them all', async () => {
    const result = await scoreWith(
      matchesSchema(z.array(z.string())),
      Array.from({ length: 50 }, (_, i) => i),
    )
    expect(result.metadata.issue_count).toBe(50)
    expect(result.metadata.issues).toHaveLength(20)
  })

  test('scores 0 (not an error) for null, undefined, numbers and circular objects that do not fit', async () => {
    for (const output of [null, undefined, 7, circular()]) {
      const result = await scoreWith(matchesSchema(Answer), output)
      expect(result.value).toBe(0)
      expect(result.error).toBeUndefined()
    }
  })

  test('validates a circular object against a schema that reads only part of it', async () => {
    expect((await scoreWith(matchesSchema(z.object({ name: z.string() })), circular())).value).toBe(1)
  })

  test('scores 0 with an exception issue when reading the output throws', async () => {
    const result = await scoreWith(matchesSchema(z.object({ secret: z.number() })), withThrowingGetter())
    expect(result.value).toBe(0)
    expect(result.error).toBeUndefined()
    expect((result.metadata.issues as { code: string; message: string }[])[0]).toMatchObject({
      code: 'exception',
      message: 'Error: getter exploded',
    })
  })

  test('supports schemas with async refinements', async () => {
    const schema = z.string().refine(async (value) => value.startsWith('ok'), 'must start with ok')
    expect((await scoreWith(matchesSchema(schema), 'ok go')).value).toBe(1)
    const failed = await scoreWith(matchesSchema(schema), 'nope')
    expect((failed.metadata.issues as { message: string }[])[0]?.message).toBe('must start with ok')
  })

  test('rejects something that is not a zod schema at definition', () => {
    expect(() => matchesSchema({} as unknown as z.ZodString)).toThrow(/needs a zod schema/)
  })

  test("is typed by the schema: it fits a task returning the schema's input type or a string", async () => {
    const task = evalTask({ scorers: [matchesSchema(Answer)] }, async () => ({ city: 'Oslo', population: 1 }))
    const asText = evalTask(
      { scorers: [matchesSchema(Answer)] },
      async () => '{"city":"Oslo","population":1}',
    )
    // @ts-expect-error a task returning a number cannot be checked against an object schema
    evalTask({ scorers: [matchesSchema(Answer)] }, async () => 5)
    expect((await task.run()).metrics.matches_schema?.[0]?.value).toBe(1)
    expect((await asText.run()).metrics.matches_schema?.[0]?.value).toBe(1)
  })
})
