/**
 * The example suite `fixtures/examples/openai.eval.ts` run for real — not skipped — against the local
 * OpenAI-compatible server (its `OPENAI_BASE_URL`), through `@ai-sdk/openai`, `strikes/ai` and `llmJudge`,
 * recorded by the strikes reporter: so CI runs it on every change without an API key.
 */
import { cpSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query, REPO_ROOT } from '../helpers/fixture-project.js'
import { type OpenAIServer, startOpenAIServer } from './openai-server.js'

let server: OpenAIServer
let project: FixtureProject
let output = ''
let code: number | null = null

beforeAll(async () => {
  server = await startOpenAIServer()
  project = fixtureProject(undefined, {
    'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({
  plugins: [strikes({ project: 'strikes-examples', thresholds: { 'model_summary.llm_judge': 'avg >= 0.5' } })],
  test: { include: [] },
})
`,
  })
  for (const part of ['openai.eval.ts', 'lib', 'data'])
    cpSync(join(REPO_ROOT, 'fixtures/examples', part), join(project.dir, part), { recursive: true })
  const result = await project.vitest(['--reporter=strikes', 'openai'], {
    env: { OPENAI_BASE_URL: server.baseURL, OPENAI_API_KEY: 'sk-ci', OPENAI_MODEL: undefined },
  })
  output = result.stdout + result.stderr
  code = result.code
})
afterAll(async () => {
  await server?.close()
})

test('runs (is not skipped) and passes its gate', async () => {
  expect(code, output).toBe(0)
  expect(output).not.toContain('openai.eval.ts skipped')
  const runs = await query<{ name: string; status: string }>(project.db, 'SELECT name, status FROM runs')
  expect(runs).toEqual([{ name: 'openai.eval.ts', status: 'passed' }])
})

test('summarises four articles with the model, each call a span under its task', async () => {
  const rows = await query<{ parent: string; n: bigint }>(
    project.db,
    `SELECT p.name AS parent, count(*) AS n FROM spans s JOIN spans p ON p.span_id = s.parent_id
     WHERE s.name = 'chat gpt-4o-mini' GROUP BY p.name`,
  )
  // Each task call makes one summary call and one judge call.
  expect(rows).toEqual([{ parent: 'Summarise With Model', n: 8n }])
  expect(server.requests.every((request) => request.api === 'chat')).toBe(true)
})

test("the judge's tokens and cost are scoring (model_summary.llm_judge.cost_usd), not the task's", async () => {
  const summary = await query<{ name: string; count: bigint }>(
    project.db,
    `SELECT name, count FROM metric_summary WHERE name LIKE 'model_summary.%cost_usd' ORDER BY name`,
  )
  expect(summary).toEqual([
    { name: 'model_summary.cost_usd', count: 4n },
    { name: 'model_summary.llm_judge.cost_usd', count: 4n },
  ])
  const sources = await query<{ source: string }>(
    project.db,
    `SELECT DISTINCT source FROM metrics WHERE name = 'llm_judge.cost_usd'`,
  )
  expect(sources).toEqual([{ source: 'scorer' }])
})
