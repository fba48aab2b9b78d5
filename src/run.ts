/**
 * Runs: one Vitest test file (or one `withRun` scope) whose tasks, metrics and parameters are recorded
 * together. A run owns the run-level metric series and, when recording, the recorder of its spool.
 */
import { randomUUID } from 'node:crypto'
import { context } from '@opentelemetry/api'
import { type MetricMode, type MetricSummary, SeriesAggregate } from './metrics.js'
import { setEntry } from './own-entry.js'
import type { Recorder } from './recorder.js'
import { runtime } from './runtime.js'
import { canonicalJson } from './serialise.js'
import type { RecordingSettings } from './settings.js'

/** What identifies a run: `currentRun()` returns this. */
export interface RunInfo {
  readonly id: string
  readonly name: string
  readonly project: string
  readonly file: string
  readonly sessionId: string
}

/** A run in progress. */
export class Run implements RunInfo {
  readonly id: string
  readonly name: string
  readonly project: string
  readonly file: string
  readonly sessionId: string
  readonly settings: RecordingSettings
  /** Present when the run is recorded to a spool. */
  readonly recorder: Recorder | undefined
  readonly params: Record<string, unknown> = {}
  readonly tags: string[] = []
  private readonly series = new Map<string, SeriesAggregate>()
  private readonly info: RunInfo

  constructor(info: Omit<RunInfo, 'id'> & { id?: string }, settings: RecordingSettings, recorder?: Recorder) {
    this.id = info.id ?? randomUUID()
    this.name = info.name
    this.project = info.project
    this.file = info.file
    this.sessionId = info.sessionId
    this.settings = settings
    this.recorder = recorder
    this.info = Object.freeze({
      id: this.id,
      name: this.name,
      project: this.project,
      file: this.file,
      sessionId: this.sessionId,
    })
  }

  /** The run's identity as a frozen plain object. */
  toInfo(): RunInfo {
    return this.info
  }

  /** Adds a point to a run-level series; the stored value is the series' aggregate after it (per `mode`). */
  addRunMetric(
    name: string,
    raw: number,
    mode: MetricMode | undefined,
    step: number,
    timestamp: number,
    spanId: string | null,
  ): number {
    let aggregate = this.series.get(name)
    if (aggregate === undefined) {
      aggregate = new SeriesAggregate()
      this.series.set(name, aggregate)
    }
    const value = aggregate.add(raw, mode)
    this.recorder?.recordRunMetric(spanId, name, value, raw, mode, step, timestamp)
    return value
  }

  /** Count / avg / min / max / last of every run-level series so far. */
  metricSummary(): Record<string, MetricSummary> {
    const summary: Record<string, MetricSummary> = {}
    for (const [name, aggregate] of this.series) summary[name] = aggregate.summary()
    return summary
  }

  /** Sets a run parameter (the latest value of a key wins). */
  logParam(key: string, value: unknown): void {
    if (typeof key !== 'string' || key === '') {
      throw new TypeError(`strikes: a run parameter needs a non-empty string key, got ${String(key)}`)
    }
    setEntry(this.params, key, value)
    this.recorder?.recordRunEvent({ type: 'param', key, value: canonicalJson(value) })
  }

  /** Adds tags to the run (duplicates are ignored). */
  addTags(tags: readonly string[]): void {
    const added = tags.filter((tag) => !this.tags.includes(tag))
    if (added.length === 0) return
    this.tags.push(...added)
    this.recorder?.recordRunEvent({ type: 'tag', tags: added })
  }
}

/** The run the calling code belongs to (a `withRun` scope, else the current Vitest test file), if any. */
export function activeRun(): Run | undefined {
  return (context.active().getValue(runtime.keys.run) as Run | undefined) ?? runtime.fileRun
}

/** Identity of the current run — `{ id, name, project, file, sessionId }` — or `undefined` outside any run. */
export function currentRun(): RunInfo | undefined {
  return activeRun()?.toInfo()
}
