/**
 * Benchmark 2: per-task overhead in process — `evalTask` with its input and output logged, one metric
 * and one scorer, recorded in a run (`withRun` with a database: spooled, then ingested) — against the
 * bare async function and a bare OpenTelemetry span around it. CPU time per call over `calls` calls,
 * median of the repetitions (CPU time, not wall time: it is what the harness costs, and it holds still
 * when other processes share the machine).
 */
import { join } from 'node:path'
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'
import { evalTask, logMetric, scorer, withRun } from 'strikes'
import { type Spread, spread } from './stats.js'
import { REPO } from './workspace.js'

/** Microseconds of CPU per call. */
export interface OverheadResult {
  readonly calls: number
  readonly bare: Spread
  readonly otelSpan: Spread
  readonly evalTask: Spread
  /** evalTask − bare, per repetition. */
  readonly overhead: Spread
}

/** The task measured: its input and output logged, one metric and one scorer. */
export function measuredTask(): (text: string) => Promise<string> {
  const exact = scorer<string, [string]>('exact', (output, { input }) => output === input.toUpperCase())
  return evalTask({ scorers: [exact] }, async function upper(text: string) {
    logMetric('length', text.length)
    return text.toUpperCase()
  })
}

async function cpuMicrosPerCall(calls: number, call: (i: number) => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage()
  for (let i = 0; i < calls; i++) await call(i)
  const used = process.cpuUsage(start)
  return (used.user + used.system) / calls
}

/** Measures the three variants, interleaved, `runs` times. */
export async function taskOverhead(calls: number, runs: number): Promise<OverheadResult> {
  const bareFn = async (text: string): Promise<string> => text.toUpperCase()
  const tracer = new BasicTracerProvider().getTracer('bench')
  const withSpan = async (text: string): Promise<string> => {
    const span = tracer.startSpan('upper')
    try {
      return await bareFn(text)
    } finally {
      span.end()
    }
  }
  const task = measuredTask()
  const bare: number[] = []
  const otel: number[] = []
  const recorded: number[] = []
  await withRun({ name: 'task-overhead', db: join(REPO, 'bench/.tmp/overhead.duckdb') }, async () => {
    // Warm-up: let the JIT settle before measuring.
    await cpuMicrosPerCall(Math.min(calls, 20_000), (i) => task(`warm ${i}`))
    for (let run = 0; run < runs; run++) {
      bare.push(await cpuMicrosPerCall(calls, (i) => bareFn(`item ${i}`)))
      otel.push(await cpuMicrosPerCall(calls, (i) => withSpan(`item ${i}`)))
      recorded.push(await cpuMicrosPerCall(calls, (i) => task(`item ${i}`)))
    }
  })
  return {
    calls,
    bare: spread(bare),
    otelSpan: spread(otel),
    evalTask: spread(recorded),
    overhead: spread(recorded.map((value, index) => value - (bare[index] as number))),
  }
}
