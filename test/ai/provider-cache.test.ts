/**
 * The response cache with the real `@ai-sdk/openai` provider in real `vitest run --reporter=strikes`
 * sessions against the local OpenAI-compatible server: the key includes the endpoint, so another server
 * under the same model id is never answered from the first's entries (finding 2); model spans record
 * `server.address`; two eval files asking the same questions at once call the model once per question and
 * both get the first answer, and a re-run reproduces the first run exactly (finding 7); the cache holds no
 * API key or request header, so it is safe to commit.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'
import { type OpenAIServer, startOpenAIServer } from './openai-server.js'

const API_KEY = 'sk-live-do-not-leak-4242'
const TEAM_SECRET = 'team-secret-header-9191'

/** Runs eval files of the `ai` fixture against a server. */
async function runAgainst(project: FixtureProject, baseURL: string, files: string[]) {
  return project.vitest(['--reporter=strikes', '--maxWorkers=2', ...files], {
    env: { OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: API_KEY, TEAM_SECRET, STRIKES_NO_CACHE: undefined },
  })
}

/** Every run's `answers` parameter, by file, for one session (1 = oldest). */
async function answers(project: FixtureProject, session: number): Promise<Record<string, string[]>> {
  const rows = await query<{ name: string; answers: string }>(
    project.db,
    `SELECT r.name, (r.params->'answers')::VARCHAR AS answers FROM runs r
     WHERE r.session_id = (SELECT session_id FROM sessions ORDER BY started_at LIMIT 1 OFFSET ${session - 1})`,
  )
  return Object.fromEntries(rows.map((row) => [row.name, JSON.parse(row.answers) as string[]]))
}

function cacheFiles(project: FixtureProject): string[] {
  const dir = `${project.db}.cache`
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.json'))
    .map((name) => join(dir, name))
}

describe('the response cache with the real provider', () => {
  let server: OpenAIServer
  let project: FixtureProject
  beforeAll(async () => {
    server = await startOpenAIServer()
    server.answer = (request) => ({ text: `${request.prompt} answer [n]` })
    // Slow enough that the two files' identical calls are in flight together.
    server.delayMs = 300
    project = fixtureProject('ai')
  })
  afterAll(async () => {
    await server?.close()
  })

  test('two files asking the same questions at once call the model once per question and get the same answers', async () => {
    const result = await runAgainst(project, server.baseURL, ['twin-a', 'twin-b'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(server.answered()).toBe(3)
    // The two files really ran at the same time (else the second would simply have found the cache warm).
    const runs = await query<{ started: number; ended: number }>(
      project.db,
      'SELECT epoch_ms(started_at) AS started, epoch_ms(ended_at) AS ended FROM runs ORDER BY started_at',
    )
    expect(runs).toHaveLength(2)
    expect(Number(runs[1]?.started)).toBeLessThan(Number(runs[0]?.ended))
    const first = await answers(project, 1)
    expect(first['twin-a.eval.ts']).toEqual(first['twin-b.eval.ts'])
    expect(new Set(first['twin-a.eval.ts']).size).toBe(3)
  })

  test('a re-run replays the first run exactly, asking the model nothing', async () => {
    const result = await runAgainst(project, server.baseURL, ['twin-a', 'twin-b'])
    expect(result.code).toBe(0)
    expect(server.answered()).toBe(3)
    expect(await answers(project, 2)).toEqual(await answers(project, 1))
    const hits = await query<{ hit: boolean }>(
      project.db,
      `SELECT json_extract(s.attributes, '$."strikes.cache.hit"')::BOOLEAN AS hit FROM spans s JOIN runs r USING (run_id)
       WHERE s.name = 'chat gpt-test'
         AND r.session_id = (SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1)`,
    )
    expect(hits.map((row) => row.hit)).toEqual(Array(6).fill(true))
  })

  test('model spans record server.address and server.port of the endpoint', async () => {
    const rows = await query<{ address: string; port: number }>(
      project.db,
      `SELECT DISTINCT json_extract_string(attributes, '$."server.address"') AS address,
         json_extract(attributes, '$."server.port"')::INTEGER AS port FROM spans WHERE name = 'chat gpt-test'`,
    )
    expect(rows).toEqual([{ address: '127.0.0.1', port: Number(new URL(server.baseURL).port) }])
  })

  test('another endpoint under the same model id is not answered from the cache: the run fails, not passes', async () => {
    const other = await startOpenAIServer()
    const closedURL = other.baseURL
    await other.close()
    const result = await runAgainst(project, closedURL, ['twin-a'])
    expect(result.code).not.toBe(0)
    const hits = await query<{ hit: boolean; failed: string }>(
      project.db,
      `SELECT json_extract(s.attributes, '$."strikes.cache.hit"')::BOOLEAN AS hit, s.status AS failed
       FROM spans s JOIN runs r USING (run_id)
       WHERE s.name = 'chat gpt-test'
         AND r.session_id = (SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1)`,
    )
    expect(hits.length).toBeGreaterThan(0)
    expect(hits.every((row) => row.hit === false && row.failed === 'error')).toBe(true)
  })

  test('the cache holds no API key and no request header: it is safe to commit', () => {
    const files = cacheFiles(project)
    expect(files).toHaveLength(3)
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      expect(text).not.toContain(API_KEY)
      expect(text).not.toContain(TEAM_SECRET)
      expect(text.toLowerCase()).not.toContain('authorization')
      expect(text).not.toContain('x-team-secret')
      expect(JSON.parse(text)).toMatchObject({
        provider: 'openai.chat',
        model: 'gpt-test',
        endpoint: server.baseURL,
      })
    }
    // The server did receive both: the cache leaves them out, not the requests.
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(server.requests[0]?.headers['x-team-secret']).toBe(TEAM_SECRET)
  })
})
