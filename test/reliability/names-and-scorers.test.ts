/**
 * Names special to JavaScript — `__proto__`, `constructor` — given as run parameters, task and span
 * attributes and metric attributes are stored like any other name (never dropped, never a prototype
 * change); and scorers grade a read-only view of the output: one that tries to change it scores 0 with
 * the reason, the next scorer grades the output as the task returned it, and so does the caller.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { fixtureProject, query, type RunResult } from '../helpers/fixture-project.js'

let db: string
let result: RunResult

beforeAll(async () => {
  const project = fixtureProject('reliability-names')
  db = project.db
  result = await project.vitest(['--reporter=strikes'])
}, 120_000)

/** The own property `key` of a JSON object text (`__proto__` included), or undefined. */
function own(json: unknown, key: string): unknown {
  const parsed = JSON.parse(String(json)) as Record<string, unknown>
  return Object.getOwnPropertyDescriptor(parsed, key)?.value
}

test('the session passes: scorers that fail do not fail the test', () => {
  expect(result.code, result.stdout + result.stderr).toBe(0)
})

describe('__proto__ and constructor as names', () => {
  test('run parameters named __proto__ and constructor are stored with their values', async () => {
    const [run] = await query<{ params: string }>(db, 'SELECT params::VARCHAR AS params FROM runs')
    expect(own(run?.params, '__proto__')).toEqual({ polluted: true })
    expect(own(run?.params, 'constructor')).toBe('c')
    expect(own(run?.params, 'temperature')).toBe(0.2)
  })

  test('task and span attributes named __proto__ are stored', async () => {
    const spans = await query<{ name: string; attributes: string }>(
      db,
      `SELECT name, attributes::VARCHAR AS attributes FROM spans WHERE kind <> 'test' ORDER BY name`,
    )
    expect(spans.map((span) => [span.name, own(span.attributes, '__proto__')])).toEqual([
      ['answer', 'task attribute'],
      ['block', 'span attribute'],
    ])
    expect(own(spans[0]?.attributes, 'model')).toBe('m')
  })

  test('a metric attribute named __proto__ is stored', async () => {
    const [metric] = await query<{ attributes: string }>(
      db,
      `SELECT attributes::VARCHAR AS attributes FROM metrics WHERE name = 'quality'`,
    )
    expect(own(metric?.attributes, '__proto__')).toBe('metric attribute')
  })
})

describe('scorers grade a read-only view of the output', () => {
  test('a scorer changing a field or an array of the output scores 0 with the reason; the next scorer sees the output unchanged', async () => {
    const scores = await query<{ name: string; value: number; error: string | null }>(
      db,
      `SELECT name, value, attributes->>'error' AS error FROM metrics WHERE source = 'scorer' ORDER BY name`,
    )
    const refused = (what: string) =>
      `strikes: a scorer tried to change the output it grades (${what}); scorers get a read-only view, so that the caller and the other scorers see the output the task returned`
    expect(scores).toEqual([
      {
        name: 'appends',
        value: 0,
        error: expect.stringContaining('a scorer tried to change the output it grades'),
      },
      {
        name: 'rewrites',
        value: 0,
        error: expect.stringContaining('a scorer tried to change the output it grades'),
      },
      { name: 'witness', value: 1, error: null },
    ])
    expect(scores[1]?.error).toContain(refused('set answer'))
  })

  test('the stored output is the one the task returned', async () => {
    const [output] = await query<{ value: string }>(
      db,
      `SELECT o.value::VARCHAR AS value FROM task_io io JOIN objects o USING (run_id, hash)
       WHERE io.direction = 'output'`,
    )
    expect(JSON.parse(output?.value ?? 'null')).toEqual({ answer: 'original', list: [1] })
  })
})
