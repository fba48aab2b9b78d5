/**
 * Errors outside tests — an import-time throw after a top-level `await` that ran tasks, a failing
 * `beforeAll`, an unhandled rejection — mark the run `failed` with the error text in `runs.error`, shown
 * in the summary and the report, and every task completed before the error is kept.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'vitest'
import { installedProject, query } from './installed-project.js'

const FILES = {
  'evals/import-error.eval.ts': `import { evalTask } from 'strikes'
import { test } from 'vitest'

const early = evalTask(async function early(n: number) { return n })
await early.map([1, 2, 3])
throw new Error('the dataset could not be loaded')

test('never collected', () => {})
`,
  'evals/hook-error.eval.ts': `import { evalTask } from 'strikes'
import { beforeAll, test } from 'vitest'

const warm = evalTask(async function warm() { return 'warm' })

beforeAll(async () => {
  await warm()
  throw new Error('the model server is down')
})

test('skipped by the failing hook', () => {})
`,
  'evals/unhandled.eval.ts': `import { evalTask } from 'strikes'
import { test } from 'vitest'

const call = evalTask(async function call(n: number) { return n })

test('leaks a rejection', async () => {
  await call(1)
  void Promise.reject(new Error('nobody awaited this'))
  await new Promise((resolve) => setTimeout(resolve, 50))
})
`,
}

interface RunRow {
  name: string
  status: string
  error: string | null
  tasks: bigint
}

describe('errors outside tests', () => {
  test('each fails its run with the error stored, shown, and every completed task kept', async ({
    expect,
  }) => {
    const project = installedProject('fidelity', FILES)
    const result = await project.vitest(['evals/import-error', 'evals/hook-error', 'evals/unhandled'])
    expect(result.code).toBe(1)
    const runs = await query<RunRow>(
      project.db,
      `SELECT r.name, r.status, r.error,
         (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'task' AND s.status = 'ok') AS tasks
       FROM runs r ORDER BY r.name`,
    )
    expect(runs.map(({ name, status, tasks }) => ({ name, status, tasks }))).toEqual([
      { name: 'evals/hook-error.eval.ts', status: 'failed', tasks: 1n },
      { name: 'evals/import-error.eval.ts', status: 'failed', tasks: 3n },
      { name: 'evals/unhandled.eval.ts', status: 'failed', tasks: 1n },
    ])
    const [hook, imported, unhandled] = runs as [RunRow, RunRow, RunRow]
    expect(hook.error).toMatch(/^Error: the model server is down\n\s+at .*hook-error\.eval\.ts/)
    expect(imported.error).toMatch(/^Error: the dataset could not be loaded\n\s+at .*import-error\.eval\.ts/)
    expect(unhandled.error).toMatch(
      /^Unhandled Rejection during test "leaks a rejection": Error: nobody awaited this\n\s+at /,
    )
    expect(result.stdout).toContain('error outside tests: Error: the dataset could not be loaded')
    expect(result.stdout).toContain('error outside tests: Error: the model server is down')
    expect(result.stdout).toContain(
      'error outside tests: Unhandled Rejection during test "leaks a rejection"',
    )
    const report = readFileSync(join(project.dir, '.strikes/report.html'), 'utf8')
    expect(report).toContain('Error outside tests')
    expect(report).toContain('Error: the dataset could not be loaded')
  })
})
