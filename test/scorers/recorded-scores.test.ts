import { beforeAll, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

let project: FixtureProject

beforeAll(async () => {
  project = fixtureProject('scoring')
  const result = await project.vitest(['--reporter=strikes'])
  expect(result.code, result.stdout + result.stderr).toBe(0)
})

test('each scorer logs a task metric with source scorer, mirrored on the run as <label>.<scorer>', async () => {
  const rows = await query<{ name: string; n: bigint; total: number }>(
    project.db,
    `SELECT name, count(*) AS n, sum(value) AS total FROM metrics WHERE source = 'scorer' GROUP BY name ORDER BY name`,
  )
  expect(rows).toEqual([
    { name: 'brittle', n: 3n, total: 0 },
    { name: 'exact_match', n: 3n, total: 2 },
    { name: 'length_between', n: 3n, total: 3 },
    { name: 'llm_judge', n: 3n, total: expect.closeTo(2.4, 10) as unknown as number },
  ])
  const mirrored = await query<{ name: string; count: bigint; avg: number }>(
    project.db,
    `SELECT name, count, avg FROM metric_summary ORDER BY name`,
  )
  expect(mirrored.map((row) => [row.name, row.count])).toEqual([
    ['answer.brittle', 3n],
    ['answer.exact_match', 3n],
    ['answer.length_between', 3n],
    ['answer.llm_judge', 3n],
  ])
  expect(mirrored.find((row) => row.name === 'answer.exact_match')?.avg).toBeCloseTo(2 / 3, 10)
})

test("a scorer's metadata and a throwing scorer's error are kept in the metric's attributes", async () => {
  const rows = await query<{
    name: string
    reasoning: string | null
    error: string | null
    origin: string | null
  }>(
    project.db,
    `SELECT name, attributes->>'reasoning' AS reasoning, attributes->>'error' AS error,
       attributes->>'origin_hash' AS origin
     FROM metrics WHERE source = 'scorer' AND name IN ('llm_judge', 'brittle') ORDER BY name, seq`,
  )
  for (const row of rows.filter((row) => row.name === 'llm_judge')) {
    expect(row.reasoning).toContain('names a city')
  }
  for (const row of rows.filter((row) => row.name === 'brittle')) {
    expect(row.error).toContain('the grader is down')
  }
  const outputs = await query<{ n: bigint }>(
    project.db,
    `SELECT count(*) AS n FROM metrics m JOIN task_io io ON io.span_id = m.span_id AND io.direction = 'output'
     WHERE m.source = 'scorer' AND (m.attributes->>'origin_hash') = io.hash`,
  )
  expect(outputs[0]?.n).toBe(12n)
})

test('a throwing scorer does not fail its task', async () => {
  const rows = await query<{ status: string; n: bigint }>(
    project.db,
    `SELECT status, count(*) AS n FROM spans WHERE kind = 'task' GROUP BY status`,
  )
  expect(rows).toEqual([{ status: 'ok', n: 3n }])
})
