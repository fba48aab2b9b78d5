/**
 * `strikes/ai` in a real Vitest run recorded with the strikes reporter: model call spans land in DuckDB
 * under their task, token metrics are mirrored on the run, and the response cache lives beside the DB.
 */
import { existsSync, readdirSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

interface CallRow {
  session: number
  parent: string
  hit: boolean
  model: string
  input_tokens: number
  finish_reasons: string
  kind: string
}

describe('model calls of an eval file run with --reporter=strikes', () => {
  let project: FixtureProject

  /** Runs the fixture and fails with its output when Vitest does not exit 0. */
  async function run(env: Record<string, string> = {}): Promise<void> {
    const result = await project.vitest(['--reporter=strikes', 'ai.eval'], { env })
    if (result.code !== 0) throw new Error(`vitest exited ${result.code}\n${result.stdout}\n${result.stderr}`)
  }

  /** Model call spans of every session, oldest session first. */
  function calls(): Promise<CallRow[]> {
    return query<CallRow>(
      project.db,
      `SELECT dense_rank() OVER (ORDER BY se.started_at)::INTEGER AS session, p.name AS parent, s.kind,
         json_extract(s.attributes, '$."strikes.cache.hit"')::BOOLEAN AS hit,
         json_extract_string(s.attributes, '$."gen_ai.request.model"') AS model,
         json_extract(s.attributes, '$."gen_ai.usage.input_tokens"')::INTEGER AS input_tokens,
         json_extract(s.attributes, '$."gen_ai.response.finish_reasons"')::VARCHAR AS finish_reasons
       FROM spans s JOIN spans p ON p.span_id = s.parent_id JOIN runs r ON r.run_id = s.run_id
       JOIN sessions se ON se.session_id = r.session_id
       WHERE s.name = 'chat mock-model' ORDER BY session, parent`,
    )
  }

  async function modelCallsParam(): Promise<number[]> {
    const rows = await query<{ calls: number }>(
      project.db,
      `SELECT (params->>'model_calls')::INTEGER AS calls FROM runs r JOIN sessions s USING (session_id) ORDER BY s.started_at`,
    )
    return rows.map((row) => row.calls)
  }

  async function outputs(session: number): Promise<string[]> {
    const rows = await query<{ value: string }>(
      project.db,
      `SELECT o.value::VARCHAR AS value FROM task_io io JOIN spans s USING (span_id)
         JOIN objects o ON o.run_id = io.run_id AND o.hash = io.hash
         JOIN runs r ON r.run_id = s.run_id
       WHERE s.kind = 'task' AND io.direction = 'output' AND io.name = 'output'
         AND r.session_id = (SELECT session_id FROM sessions ORDER BY started_at LIMIT 1 OFFSET ${session - 1})
       ORDER BY value`,
    )
    return rows.map((row) => row.value)
  }

  beforeAll(async () => {
    project = fixtureProject('ai')
    await run()
  })

  test('each model call is a span of kind span under the task that made it, with GenAI attributes', async () => {
    const rows = await calls()
    expect(rows).toHaveLength(7)
    expect(rows.filter((row) => row.parent === 'answer')).toHaveLength(2)
    expect(rows.filter((row) => row.parent === 'sample')).toHaveLength(5)
    for (const row of rows) {
      expect(row).toMatchObject({ kind: 'span', model: 'mock-model', input_tokens: 20, hit: false })
      expect(JSON.parse(row.finish_reasons)).toEqual(['stop'])
    }
  })

  test('tokens and cost are task metrics mirrored on the run as <label>.input_tokens, … ', async () => {
    const summary = await query<{ name: string; count: bigint; avg: number }>(
      project.db,
      `SELECT name, count, avg FROM metric_summary WHERE name LIKE 'answer.%' OR name LIKE 'sample.%' ORDER BY name`,
    )
    expect(summary).toEqual([
      { name: 'answer.cost_usd', count: 2n, avg: expect.closeTo((20 * 1 + 4 * 10) / 1e6, 12) },
      { name: 'answer.input_tokens', count: 2n, avg: 20 },
      { name: 'answer.output_tokens', count: 2n, avg: 4 },
      { name: 'sample.cost_usd', count: 5n, avg: expect.closeTo((20 * 1 + 4 * 10) / 1e6, 12) },
      { name: 'sample.input_tokens', count: 5n, avg: 20 },
      { name: 'sample.output_tokens', count: 5n, avg: 4 },
    ])
  })

  test('the response cache is a folder beside the DuckDB file', () => {
    const dir = `${project.db}.cache`
    expect(existsSync(dir)).toBe(true)
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((name) =>
      name.endsWith('.json'),
    )
    expect(files).toHaveLength(7)
  })

  test('a second session is answered from the cache: same outputs, no model calls, spans marked as hits', async () => {
    await run()
    expect(await modelCallsParam()).toEqual([7, 0])
    const second = (await calls()).filter((row) => row.session === 2)
    expect(second).toHaveLength(7)
    expect(second.every((row) => row.hit)).toBe(true)
    expect(await outputs(2)).toEqual(await outputs(1))
    expect(new Set(await outputs(1)).size).toBe(7)
  })

  test('STRIKES_NO_CACHE=1 sends every call to the model again', async () => {
    await run({ STRIKES_NO_CACHE: '1' })
    expect((await modelCallsParam()).at(-1)).toBe(7)
    const third = (await calls()).filter((row) => row.session === 3)
    expect(third.every((row) => row.hit === null)).toBe(true)
  })
})
