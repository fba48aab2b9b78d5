/**
 * Shared helpers of the SDK unit tests: delays, in-flight counters, and a recorded run whose spool
 * files are read back as records.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Run } from '../../src/run.js'
import { closeRun, openRun } from '../../src/run-lifecycle.js'
import { runtime } from '../../src/runtime.js'
import type { RecordingSettings } from '../../src/shared/settings.js'
import {
  type MetricRecord,
  type ObjectRecord,
  RECORD_KINDS,
  type RecordKind,
  type RunEvent,
  type RunMetricRecord,
  SPOOL_FILES,
  type SpanRecord,
  type TaskIoRecord,
} from '../../src/shared/spool/format.js'
import { runSpoolDir } from '../../src/shared/spool/session-marker.js'

/** Resolves after `ms` milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A promise settled from outside: tests release calls in the order they choose, whatever the timers do. */
export interface Gate<T = void> {
  readonly promise: Promise<T>
  open(value: T): void
  fail(error: unknown): void
}

/** Makes a gate. */
export function gate<T = void>(): Gate<T> {
  let open!: (value: T) => void
  let fail!: (error: unknown) => void
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve
    fail = reject
  })
  return { promise, open, fail }
}

/** Resolves once the microtasks and I/O callbacks queued so far have run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

/** Counts calls in flight and remembers the peak. */
export class InFlight {
  current = 0
  peak = 0
  started = 0

  /** Runs `body` counted as one call in flight. */
  async track<T>(body: () => Promise<T>): Promise<T> {
    this.current += 1
    this.started += 1
    if (this.current > this.peak) this.peak = this.current
    try {
      return await body()
    } finally {
      this.current -= 1
    }
  }
}

/** The records of one run's spool, parsed. */
export interface SpoolContents {
  runDir: string
  run: RunEvent[]
  spans: SpanRecord[]
  metrics: MetricRecord[]
  runMetrics: RunMetricRecord[]
  /** Objects, with their canonical JSON parsed as `value`. */
  objects: { hash: string; value: unknown; size_bytes: number; truncated: boolean }[]
  taskIo: TaskIoRecord[]
}

function readNdjson<T>(file: string): T[] {
  if (!existsSync(file)) return []
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as T)
}

/**
 * Opens a run recorded to a spool in a temporary folder, makes it the file run while `body` runs, closes
 * it, and returns what `body` returned with the run's spool records.
 */
export async function withSpoolRun<T>(
  body: (run: Run) => Promise<T>,
  settings: Partial<RecordingSettings> = {},
): Promise<{ result: T; spool: SpoolContents; run: Run }> {
  const root = mkdtempSync(join(tmpdir(), 'strikes-sdk-'))
  const sessionId = randomUUID()
  const run = openRun({
    name: 'spool.eval.ts',
    project: 'sdk-tests',
    file: '/virtual/spool.eval.ts',
    sessionId,
    settings: { ...runtime.settings, ...settings },
    spoolRoot: root,
  })
  const previous = runtime.fileRun
  runtime.fileRun = run
  let result: T
  try {
    result = await body(run)
  } finally {
    runtime.fileRun = previous
    closeRun(run, 'passed')
  }
  const runDir = runSpoolDir(root, sessionId, run.id)
  const spool = readSpoolContents(runDir)
  rmSync(root, { recursive: true, force: true })
  return { result, spool, run }
}

/**
 * Reads a run's spool into one list per table, splitting the lines that carry a second row the way
 * ingest does: metric lines of mirrored metrics carry their run-level point, and `task_io` lines carry
 * the object the first time it is written.
 */
export function readSpoolContents(runDir: string): SpoolContents {
  const lines = readNdjson<{ t: string }>(join(runDir, SPOOL_FILES.records))
  const of = <T>(kind: RecordKind): T[] =>
    lines.filter((line) => line.t === RECORD_KINDS[kind].tag).map(({ t, ...record }) => record as T)
  const metricLines = of<MetricRecord>('metric')
  const ioLines = of<TaskIoRecord>('taskIo')
  const mirrored: RunMetricRecord[] = metricLines
    .filter((line) => line.run_name !== undefined)
    .map((line) => ({
      span_id: line.span_id,
      name: line.run_name as string,
      value: line.run_value as number,
      raw_value: line.value,
      mode: line.mode ?? null,
      step: line.step,
      ts: line.ts,
      seq: line.run_seq as number,
    }))
  const runMetrics = [...mirrored, ...of<RunMetricRecord>('runMetric')].sort((a, b) => a.seq - b.seq)
  const objects = [
    ...ioLines.filter((line) => line.size_bytes !== undefined),
    ...of<ObjectRecord>('object'),
  ].map((line) => ({
    hash: line.hash,
    value: line.object,
    size_bytes: line.size_bytes as number,
    truncated: line.truncated as boolean,
  }))
  return {
    runDir,
    run: readNdjson(join(runDir, SPOOL_FILES.run)),
    spans: of<SpanRecord>('span'),
    metrics: metricLines.map(({ run_name, run_value, mode, run_seq, ...metric }) => metric),
    runMetrics,
    objects,
    taskIo: ioLines.map(({ object, size_bytes, truncated, ...io }) => io),
  }
}

/** The run-level points of one key, as `[value after mode, raw value]` pairs. */
export function runSeries(spool: SpoolContents, name: string): [number, number][] {
  return spool.runMetrics
    .filter((point) => point.name === name)
    .map((point) => [point.value, point.raw_value])
}
