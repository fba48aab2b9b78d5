/**
 * Benchmark 4: `map` over calls that each wait, at a fixed concurrency — the makespan against the ideal
 * (calls / concurrency × wait), recorded (inside `withRun` with a database, as an eval file's tasks are).
 */
import { join } from 'node:path'
import { evalTask, withRun } from 'strikes'
import { type Spread, spread } from './stats.js'
import { REPO } from './workspace.js'

/** Makespan of the batch and its ratio to the ideal. */
export interface ConcurrencyResult {
  readonly calls: number
  readonly waitMs: number
  readonly concurrency: number
  readonly idealMs: number
  readonly makespanMs: Spread
  readonly ratio: Spread
}

/** Runs `calls` calls that each wait `waitMs`, `concurrency` at a time, `runs` times. */
export async function concurrencyMakespan(
  calls: number,
  waitMs: number,
  concurrency: number,
  runs: number,
): Promise<ConcurrencyResult> {
  const wait = evalTask(async function wait(ms: number) {
    await new Promise((resolve) => setTimeout(resolve, ms))
    return ms
  })
  const idealMs = (calls / concurrency) * waitMs
  const times: number[] = []
  const items = Array.from({ length: calls }, () => waitMs)
  await withRun({ name: 'concurrency', db: join(REPO, 'bench/.tmp/concurrency.duckdb') }, async () => {
    await wait.map(items.slice(0, concurrency), { concurrency })
    for (let run = 0; run < runs; run++) {
      const started = performance.now()
      await wait.map(items, { concurrency })
      times.push(performance.now() - started)
    }
  })
  return {
    calls,
    waitMs,
    concurrency,
    idealMs,
    makespanMs: spread(times),
    ratio: spread(times.map((time) => time / idealMs)),
  }
}
