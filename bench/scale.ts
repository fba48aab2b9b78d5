/**
 * Benchmark 3: scale — N tasks (each logging one metric and scored by two scorers: 3 metric points per
 * task) in one eval file via `map`, recorded with `--reporter=strikes`: wall time of the whole
 * `vitest run`, peak RSS of the main process and of the worker, ingest rows/s and report render time
 * (from the reporter's `STRIKES_TIMINGS` line).
 */
import { measureCommand } from './process-stats.js'
import { type Spread, spread } from './stats.js'
import { benchProject, VITEST } from './workspace.js'

const SCALE_EVAL = `import { evalTask, logMetric, scorer } from 'strikes'
import { expect, test } from 'vitest'

const N = Number(process.env.N ?? 1000)
const rows = Array.from({ length: N }, (_, i) => \`item \${i}\`)
const exact = scorer('exact', (output: string, { input }: { input: string }) => output === input.toUpperCase())
const short = scorer('short', (output: string) => output.length < 12)
const upper = evalTask({ scorers: [exact, short] }, async function upper(text: string) {
  logMetric('chars', text.length)
  return text.toUpperCase()
})

test('N tasks through map', { timeout: 600_000 }, async () => {
  const outputs = await upper.map(rows, { concurrency: 64 })
  expect(outputs).toHaveLength(N)
  // What the worker still holds once garbage is collected, with the outputs still referenced.
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('the scale benchmark needs --expose-gc in the worker')
  gc()
  console.log(\`STRIKES_BENCH_RETAINED_BYTES \${process.memoryUsage().heapUsed}\`)
  expect(outputs[0]).toBe('ITEM 0')
})
`

/** Figures of one scale run. */
export interface ScaleResult {
  readonly n: number
  readonly wallMs: Spread
  readonly mainPeakMb: Spread
  readonly workerPeakMb: Spread
  /** The worker's heap after a full garbage collection at the end of the test, outputs still held. */
  readonly workerRetainedMb: Spread | undefined
  readonly ingestRowsPerSecond: Spread | undefined
  readonly reportMs: Spread | undefined
  readonly rows: number | undefined
}

/** Runs the scale workload at `n` tasks, `runs` times. */
export async function scaleRun(n: number, runs: number): Promise<ScaleResult> {
  const wall: number[] = []
  const main: number[] = []
  const worker: number[] = []
  const ingest: number[] = []
  const report: number[] = []
  const retained: number[] = []
  let rows: number | undefined
  for (let run = 0; run < runs; run++) {
    const dir = benchProject('scale', { 'scale.eval.ts': SCALE_EVAL })
    const result = await measureCommand(
      process.execPath,
      [VITEST, 'run', '--root', dir, '--reporter=strikes'],
      {
        cwd: dir,
        // --expose-gc reaches the worker through NODE_OPTIONS, so the test's gc() is a real full GC.
        env: { N: String(n), STRIKES_TIMINGS: '1', STRIKES_PROGRESS_MS: '0', NODE_OPTIONS: '--expose-gc' },
      },
    )
    if (result.code !== 0) throw new Error(`scale N=${n} failed:\n${result.stdout}\n${result.stderr}`)
    const retainedBytes = /STRIKES_BENCH_RETAINED_BYTES (\d+)/.exec(result.stdout)?.[1]
    if (retainedBytes !== undefined) retained.push(Number(retainedBytes) / 2 ** 20)
    wall.push(result.wallMs)
    main.push(result.mainPeakMb)
    worker.push(result.childPeakMb)
    const timings =
      /strikes timings: ingested (\d+) rows(?: of \d+ runs)? in ([\d.]+) ms.*?report ([\d.]+) ms/.exec(
        result.stdout,
      )
    if (timings !== null) {
      rows = Number(timings[1])
      ingest.push(Number(timings[1]) / (Number(timings[2]) / 1000))
      report.push(Number(timings[3]))
    }
  }
  return {
    n,
    wallMs: spread(wall),
    mainPeakMb: spread(main),
    workerPeakMb: spread(worker),
    workerRetainedMb: retained.length > 0 ? spread(retained) : undefined,
    ingestRowsPerSecond: ingest.length > 0 ? spread(ingest) : undefined,
    reportMs: report.length > 0 ? spread(report) : undefined,
    rows,
  }
}
