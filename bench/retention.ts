/**
 * What a recorded `map` keeps in the process: the heap growth after a full garbage collection, with the
 * outputs still held, for N tasks recorded through `withRun` with a spool, against the same `map`
 * detached (nothing recorded, the same outputs held). Needs `--expose-gc` (`run.ts` starts it in a child
 * process with that flag); `run.ts` runs it at several N to show whether the difference grows.
 */
import { join } from 'node:path'
import { evalTask, logMetric, scorer, withRun } from 'strikes'
import { REPO } from './workspace.js'

/** Heap kept after GC, in MB, with the outputs of N tasks held: recorded, detached (nothing recorded), and the difference. */
export interface Retention {
  readonly recordedMb: number
  readonly detachedMb: number
  /** What recording keeps beyond what the same `map` keeps without it (the outputs). */
  readonly strikesMb: number
}

/** Heap growth after GC for N tasks through `map`, outputs held: detached, then recorded through `withRun`. */
export async function retainedAfterMap(n: number): Promise<Retention> {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('strikes: the retention benchmark needs node --expose-gc')
  const exact = scorer<string, [string]>('exact', (output, { input }) => output === input.toUpperCase())
  const short = scorer('short', (output: string) => output.length < 12)
  const upper = evalTask({ scorers: [exact, short] }, async function upper(text: string) {
    logMetric('chars', text.length)
    return text.toUpperCase()
  })
  const rows = Array.from({ length: n }, (_, i) => `item ${i}`)
  const measure = async (body: () => Promise<string[]>): Promise<number> => {
    gc()
    const before = process.memoryUsage().heapUsed
    const outputs = await body()
    gc()
    const grown = (process.memoryUsage().heapUsed - before) / 2 ** 20
    if (outputs.length !== n) throw new Error('strikes: the retention benchmark lost outputs')
    return grown
  }
  // Outside a run the task is detached: it runs its scorers and records nothing.
  const detachedMb = await measure(() => upper.map(rows, { concurrency: 64 }))
  let recordedMb = 0
  await withRun({ name: 'retention', db: join(REPO, `bench/.tmp/retention-${n}.duckdb`) }, async () => {
    recordedMb = await measure(() => upper.map(rows, { concurrency: 64 }))
  })
  return { recordedMb, detachedMb, strikesMb: recordedMb - detachedMb }
}

if (process.argv[2] === 'measure') {
  const n = Number(process.argv[3])
  process.stdout.write(`${JSON.stringify({ n, ...(await retainedAfterMap(n)) })}\n`)
}
