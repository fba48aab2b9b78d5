/**
 * Benchmark 6: large values — one task returning a string of N MB, recorded (a) under
 * `vitest --reporter=strikes` and (b) in a plain `withRun` script, with the same installed strikes in
 * the same run: the task's own time (measured around the call, so Vitest's start-up is left out), the
 * wall time of the whole command, and the peak RSS of the process that ran the task (Vitest's worker;
 * the script itself). The value is serialised the same way in both: the figures should match.
 */
import { measureCommand } from './process-stats.js'
import { type Spread, spread } from './stats.js'
import { benchProject, VITEST } from './workspace.js'

/** Plain JavaScript, imported by the eval file and by the script alike. */
const TASK = `import { evalTask } from 'strikes'

const MB = Number(process.env.LARGE_MB ?? 200)
export const big = evalTask(async function big(n) {
  return 'x'.repeat(MB * 1024 * 1024 - 1) + String(n % 10)
})
`

const EVAL = `import { expect, test } from 'vitest'
import { big } from './task.js'

test('a task returning a large value', { timeout: 600_000 }, async () => {
  const started = performance.now()
  const output = await big(1)
  console.log(\`STRIKES_BENCH_TASK_MS \${performance.now() - started}\`)
  expect(output.length).toBeGreaterThan(0)
})
`

const SCRIPT = `import { withRun } from 'strikes'
import { big } from './task.js'

await withRun({ name: 'large', project: 'large', db: '.strikes/script.duckdb' }, async () => {
  const started = performance.now()
  await big(1)
  console.log(\`STRIKES_BENCH_TASK_MS \${performance.now() - started}\`)
})
`

/** Figures of one way of running the task. */
export interface LargeValueFigures {
  readonly taskMs: Spread
  readonly wallMs: Spread
  /** Peak RSS of the process that ran the task, in MB. */
  readonly peakMb: Spread
}

/** Figures under Vitest and in a `withRun` script, for a value of `mb` MB. */
export interface LargeValueResult {
  readonly mb: number
  readonly vitest: LargeValueFigures
  readonly withRun: LargeValueFigures
}

function taskMs(stdout: string): number {
  const match = /STRIKES_BENCH_TASK_MS ([\d.]+)/.exec(stdout)
  if (match === null) throw new Error(`large values: no task time in the output:\n${stdout}`)
  return Number(match[1])
}

/** Runs the task `runs` times each way, alternating, so both see the same machine load. */
export async function largeValues(mb: number, runs: number): Promise<LargeValueResult> {
  const figures = {
    vitest: { task: [] as number[], wall: [] as number[], peak: [] as number[] },
    withRun: { task: [] as number[], wall: [] as number[], peak: [] as number[] },
  }
  const env = { LARGE_MB: String(mb), STRIKES_PROGRESS_MS: '0' }
  for (let run = 0; run < runs; run++) {
    const dir = benchProject('large-values', {
      'task.js': TASK,
      'large.eval.ts': EVAL,
      'script.mjs': SCRIPT,
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({ plugins: [strikes({ project: 'large', report: false })] })
`,
    })
    const vitest = await measureCommand(
      process.execPath,
      [VITEST, 'run', '--root', dir, '--reporter=strikes'],
      {
        cwd: dir,
        env,
      },
    )
    if (vitest.code !== 0)
      throw new Error(`large values under vitest failed:\n${vitest.stdout}\n${vitest.stderr}`)
    figures.vitest.task.push(taskMs(vitest.stdout))
    figures.vitest.wall.push(vitest.wallMs)
    figures.vitest.peak.push(vitest.childPeakMb)
    const script = await measureCommand(process.execPath, ['script.mjs'], { cwd: dir, env })
    if (script.code !== 0)
      throw new Error(`large values in withRun failed:\n${script.stdout}\n${script.stderr}`)
    figures.withRun.task.push(taskMs(script.stdout))
    figures.withRun.wall.push(script.wallMs)
    figures.withRun.peak.push(script.mainPeakMb)
  }
  const summarise = (side: { task: number[]; wall: number[]; peak: number[] }): LargeValueFigures => ({
    taskMs: spread(side.task),
    wallMs: spread(side.wall),
    peakMb: spread(side.peak),
  })
  return { mb, vitest: summarise(figures.vitest), withRun: summarise(figures.withRun) }
}
