/**
 * Every pool and isolation mode records every eval file as its own run: the real `vitest` binary on the
 * `fidelity` fixture (three eval files and a plain unit test) with strikes installed as a package. Each
 * file's tasks log `own_run` = 1 only when `currentRun()` is that file's run, and gates on it must pass.
 */
import { describe, test } from 'vitest'
import { installedProject, query } from './installed-project.js'

const OWN_RUN_GATES = JSON.stringify({
  'alpha.own_run': 'min >= 1',
  'beta.own_run': 'min >= 1',
  'gamma.own_run': 'min >= 1',
})

const MODES: [string, string[]][] = [
  ['forks', ['--pool=forks']],
  ['threads', ['--pool=threads']],
  ['vmThreads', ['--pool=vmThreads']],
  ['vmForks', ['--pool=vmForks']],
  ['forks with isolate: false', ['--pool=forks', '--no-isolate']],
  ['threads with isolate: false', ['--pool=threads', '--no-isolate']],
  ['fileParallelism: false', ['--no-file-parallelism']],
  ['--maxWorkers=1', ['--maxWorkers=1']],
  ['sequence.concurrent', ['--sequence.concurrent']],
]

describe.concurrent('every pool and isolation mode records every eval file as a run', () => {
  test.for(MODES)(
    '%s: three runs, each with its own tasks, currentRun() in every file, gates pass',
    async ([, args], { expect }) => {
      const project = installedProject('fidelity')
      const result = await project.vitest(args, { env: { FIDELITY_THRESHOLDS: OWN_RUN_GATES } })
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(result.stdout).toContain('3 runs recorded')
      expect(result.stdout).toMatch(/gates {2}3 passed · 0 failed/)
      const runs = await query<{ name: string; status: string; tasks: bigint; tests: bigint; own: number }>(
        project.db,
        `SELECT r.name, r.status,
         (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'task') AS tasks,
         (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'test') AS tests,
         (SELECT min(m.raw_value) FROM run_metrics m WHERE m.run_id = r.run_id AND m.name LIKE '%.own_run') AS own
       FROM runs r ORDER BY r.name`,
      )
      expect(runs).toEqual(
        ['alpha', 'beta', 'gamma'].map((name) => ({
          name: `evals/${name}.eval.ts`,
          status: 'passed',
          tasks: 3n,
          tests: 2n,
          own: 1,
        })),
      )
    },
  )
})

test('a custom runner without isolation is refused at start-up in one line, before any test runs', async ({
  expect,
}) => {
  const project = installedProject('fidelity', {
    'own-runner.ts': `import { VitestTestRunner } from 'vitest/runners'
export default class OwnRunner extends VitestTestRunner {}
`,
    'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes()], test: { runner: './own-runner.ts', isolate: false } })
`,
  })
  const result = await project.vitest([])
  expect(result.code).not.toBe(0)
  const output = result.stdout + result.stderr
  expect(output).toMatch(/strikes: project "[^"]*" uses its own test runner .* with isolation off/)
  expect(output).not.toContain('Test Files')
})

test('a custom runner with isolation records every file through the setup file', async ({ expect }) => {
  const project = installedProject('fidelity', {
    'own-runner.ts': `import { VitestTestRunner } from 'vitest/runners'
export default class OwnRunner extends VitestTestRunner {}
`,
    'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ thresholds: ${OWN_RUN_GATES} })], test: { runner: './own-runner.ts' } })
`,
  })
  const result = await project.vitest([])
  expect(result.code, result.stdout + result.stderr).toBe(0)
  const runs = await query<{ name: string; tests: bigint }>(
    project.db,
    `SELECT r.name, (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'test') AS tests
     FROM runs r ORDER BY r.name`,
  )
  expect(runs.map((run) => run.tests)).toEqual([2n, 2n, 2n])
})
