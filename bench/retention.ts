/**
 * What a recorded `map` keeps in the process: the heap after a full garbage collection, with the outputs
 * still held, before and after N tasks recorded through `withRun` with a spool. Needs `--expose-gc`
 * (`run.ts` starts it in a child process with that flag).
 */
import { join } from 'node:path'
import { evalTask, logMetric, scorer, withRun } from 'strikes'
import { REPO } from './workspace.js'

/** Heap growth in MB after GC for N recorded tasks, outputs held. */
export async function retainedAfterMap(n: number): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('strikes: the retention benchmark needs node --expose-gc')
  const exact = scorer<string, [string]>('exact', (output, { input }) => output === input.toUpperCase())
  const short = scorer('short', (output: string) => output.length < 12)
  const upper = evalTask({ scorers: [exact, short] }, async function upper(text: string) {
    logMetric('chars', text.length)
    return text.toUpperCase()
  })
  const rows = Array.from({ length: n }, (_, i) => `item ${i}`)
  gc()
  const before = process.memoryUsage().heapUsed
  let retained = 0
  await withRun({ name: 'retention', db: join(REPO, `bench/.tmp/retention-${n}.duckdb`) }, async () => {
    const outputs = await upper.map(rows, { concurrency: 64 })
    gc()
    retained = (process.memoryUsage().heapUsed - before) / 2 ** 20
    if (outputs.length !== n) throw new Error('strikes: the retention benchmark lost outputs')
  })
  return retained
}

if (process.argv[2] === 'measure') {
  const n = Number(process.argv[3])
  process.stdout.write(`${JSON.stringify({ n, retainedMb: await retainedAfterMap(n) })}\n`)
}
