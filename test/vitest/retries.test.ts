/**
 * Retries and repeats: every attempt's test span records its attempt index and its own error; a test
 * that passed after retries is passed and flaky — not a failure — in the summary and the report; a test
 * that failed every attempt is one failed test; `repeats` record their index.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'vitest'
import { installedProject, query } from './installed-project.js'

const FILES = {
  'evals/retries.eval.ts': `import { evalTask } from 'strikes'
import { expect, test } from 'vitest'

const attempt = evalTask(async function attempt(n: number) { return n })

let flaky = 0
test('passes on the third attempt', { retry: 2 }, async () => {
  flaky++
  await attempt(flaky)
  if (flaky < 3) throw new Error(\`attempt \${flaky} failed\`)
})

let broken = 0
test('fails every attempt', { retry: 1 }, async () => {
  broken++
  expect(await attempt(broken)).toBe(0)
})

test('repeated', { repeats: 2 }, async () => {
  await attempt(0)
})
`,
}

test('retried and repeated tests: one span per attempt, passed-after-retries is flaky, not failed', async ({
  expect,
}) => {
  const project = installedProject('fidelity', FILES)
  const result = await project.vitest(['evals/retries'])
  expect(result.code).toBe(1) // 'fails every attempt'
  const attempts = await query<{ test: string; status: string; error: string | null; a: string }>(
    project.db,
    `SELECT s.name AS test, s.status, s.error, s.attributes::VARCHAR AS a
     FROM spans s WHERE s.kind = 'test' ORDER BY s.name, s.started_at`,
  )
  const view = attempts.map((row) => {
    const attributes = JSON.parse(row.a) as Record<string, unknown>
    return {
      test: row.test.replace('evals/retries.eval.ts > ', ''),
      status: row.status,
      error: row.error?.split('\n')[0] ?? null,
      retry: attributes['vitest.test.retry'],
      repeat: attributes['vitest.test.repeat'],
      retried: attributes['vitest.test.retried'] ?? false,
      flaky: attributes['vitest.test.flaky'] ?? false,
    }
  })
  expect(view).toEqual([
    {
      test: 'fails every attempt',
      status: 'error',
      error: expect.stringContaining('expected 1 to be +0'),
      retry: 0,
      repeat: 0,
      retried: true,
      flaky: false,
    },
    {
      test: 'fails every attempt',
      status: 'error',
      error: expect.stringContaining('expected 2 to be +0'),
      retry: 1,
      repeat: 0,
      retried: false,
      flaky: false,
    },
    {
      test: 'passes on the third attempt',
      status: 'error',
      error: 'Error: attempt 1 failed',
      retry: 0,
      repeat: 0,
      retried: true,
      flaky: false,
    },
    {
      test: 'passes on the third attempt',
      status: 'error',
      error: 'Error: attempt 2 failed',
      retry: 1,
      repeat: 0,
      retried: true,
      flaky: false,
    },
    {
      test: 'passes on the third attempt',
      status: 'ok',
      error: null,
      retry: 2,
      repeat: 0,
      retried: false,
      flaky: true,
    },
    { test: 'repeated', status: 'ok', error: null, retry: 0, repeat: 0, retried: false, flaky: false },
    { test: 'repeated', status: 'ok', error: null, retry: 0, repeat: 1, retried: false, flaky: false },
    { test: 'repeated', status: 'ok', error: null, retry: 0, repeat: 2, retried: false, flaky: false },
  ])
  // Failed tasks apart from failed tests: the 8 task calls all succeeded; one test of three failed, one is flaky.
  expect(result.stdout).toContain('evals/retries.eval.ts  8 tasks · 3 tests (1 failed) (1 flaky)')
  const report = readFileSync(join(project.dir, '.strikes/report.html'), 'utf8')
  expect(report).toContain('Flaky tests')
  expect(report).toContain('passed on attempt 3 of 3 attempts')
  expect(report).toContain('attempt 1: Error: attempt 1 failed')
  expect(report).toMatch(
    /3 tests \(<span class="fail-text">1 failed<\/span>\) \(<span class="muted">1 flaky<\/span>\)/,
  )
  expect(report).not.toMatch(/Failures <span class="muted">\(3 failures\)/)
})
