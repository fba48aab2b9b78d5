/**
 * Cancelled and skipped files: `--bail` stops a file mid-run (stored `cancelled`, not `passed`, with what
 * it recorded) and keeps others from starting (stored `cancelled` with nothing recorded); a file whose
 * every test is skipped is stored `skipped`. Their gates are `not run`, never evaluated on partial data.
 */
import { test } from 'vitest'
import { installedProject, query } from './installed-project.js'

const FILES = {
  'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { BaseSequencer, type TestSpecification } from 'vitest/node'
import { defineConfig } from 'vitest/config'

/** Files in name order: a-slow and b-fail start together on the two workers, c-later waits for a free one. */
class ByName extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    return [...files].sort((a, b) => (a.moduleId < b.moduleId ? -1 : 1))
  }
}

export default defineConfig({
  plugins: [strikes({ thresholds: { 'slow.score': 'avg >= 1', 'later.score': 'avg >= 1', 'skipped.score': 'avg >= 1' } })],
  test: { maxWorkers: 2, include: [], sequence: { sequencer: ByName } },
})
`,
  // Still running (in parallel with b-fail) when the bail cancels the run: its first test tells b-fail it
  // started, then it waits until b-fail has failed and long enough for the cancel to reach its worker,
  // however slowly the two workers start.
  'evals/a-slow.eval.ts': `import { existsSync, writeFileSync } from 'node:fs'
import { evalTask, logMetric } from 'strikes'
import { test } from 'vitest'
const slow = evalTask(async function slow(n: number) { logMetric('score', n); return n })
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
test('quick', async () => { await slow(1); writeFileSync('a-started', '') })
test('waits', async () => {
  for (let waited = 0; !existsSync('b-failed') && waited < 60_000; waited += 50) await pause(50)
  await pause(3000)
  await slow(0)
}, 90_000)
test('never reached', async () => { await slow(0) })
`,
  // Fails once a-slow has run its first test (so the bail finds a-slow running, not still starting).
  'evals/b-fail.eval.ts': `import { existsSync, writeFileSync } from 'node:fs'
import { expect, test } from 'vitest'
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
test('fails once a-slow runs', async () => {
  for (let waited = 0; !existsSync('a-started') && waited < 60_000; waited += 50) await pause(50)
  writeFileSync('b-failed', '')
  expect(1).toBe(2)
}, 90_000)
`,
  'evals/c-later.eval.ts': `import { evalTask, logMetric } from 'strikes'
import { test } from 'vitest'
const later = evalTask(async function later(n: number) { logMetric('score', n); return n })
test('later', async () => { await new Promise((resolve) => setTimeout(resolve, 300)); await later(1) })
`,
  'evals/d-skipped.eval.ts': `import { evalTask, logMetric } from 'strikes'
import { describe, test } from 'vitest'
const skipped = evalTask(async function skipped(n: number) { logMetric('score', n); return n })
describe.skip('the whole file', () => {
  test('one', async () => { await skipped(0) })
})
`,
}

test('--bail: the file it stopped and the files it kept from starting are cancelled; their gates are not run', async ({
  expect,
}) => {
  const project = installedProject('fidelity', FILES)
  const result = await project.vitest(['--bail=1', 'evals/a-slow', 'evals/b-fail', 'evals/c-later'])
  expect(result.code).toBe(1)
  const runs = await query<{ name: string; status: string; tasks: bigint }>(
    project.db,
    `SELECT r.name, r.status, (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'task') AS tasks
     FROM runs r ORDER BY r.name`,
  )
  const slow = runs.find((run) => run.name === 'evals/a-slow.eval.ts')
  expect(slow?.status).toBe('cancelled')
  expect(slow?.tasks).toBeGreaterThanOrEqual(1n) // what it recorded before the bail is kept
  expect(runs.find((run) => run.name === 'evals/b-fail.eval.ts')?.status).toBe('failed')
  expect(runs.find((run) => run.name === 'evals/c-later.eval.ts')).toEqual({
    name: 'evals/c-later.eval.ts',
    status: 'cancelled',
    tasks: 0n,
  })
  const gates = await query<{ key: string; verdict: string; passed: boolean }>(
    project.db,
    'SELECT key, verdict, passed FROM gates ORDER BY seq',
  )
  expect(gates.filter((gate) => gate.key !== 'skipped.score')).toEqual([
    { key: 'slow.score', verdict: 'not run', passed: true },
    { key: 'later.score', verdict: 'not run', passed: true },
  ])
  expect(result.stdout).toMatch(/⊘ evals\/a-slow\.eval\.ts .* cancelled/)
})

test('a file whose every test is skipped is stored skipped, and its gates are not run', async ({
  expect,
}) => {
  const project = installedProject('fidelity', FILES)
  const result = await project.vitest(['evals/d-skipped'])
  expect(result.code, result.stdout + result.stderr).toBe(0)
  expect(await query(project.db, 'SELECT name, status FROM runs')).toEqual([
    { name: 'evals/d-skipped.eval.ts', status: 'skipped' },
  ])
  const gates = await query<{ key: string; verdict: string }>(
    project.db,
    'SELECT key, verdict FROM gates ORDER BY seq',
  )
  expect(gates).toEqual([
    { key: 'slow.score', verdict: 'not run' },
    { key: 'later.score', verdict: 'not run' },
    { key: 'skipped.score', verdict: 'not run' },
  ])
})
