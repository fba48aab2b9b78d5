/**
 * Runs: one Vitest test file (or one `withRun` scope) whose tasks, metrics and parameters are recorded
 * together. A run owns the run-level metric series and, when recording, the recorder of its spool.
 */
import { randomUUID } from 'node:crypto'
import { type MetricMode, type MetricSummary, SeriesAggregate } from './metrics.js'
import { setEntry } from './own-entry.js'
import type { Recorder, RunPoint } from './recorder.js'
import { canonicalJson } from './serialise.js'
import type { RecordingSettings } from './shared/settings.js'
import { newTestScope, type TestScope } from './test-scope.js'

/** What identifies a run: `currentRun()` returns this. */
export interface RunInfo {
  readonly id: string
  readonly name: string
  readonly project: string
  readonly file: string
  readonly sessionId: string
}

/** What identifies a task to its run, for the warning about two tasks sharing a label. */
export interface LabelledTask {
  readonly name: string
  readonly label: string
  readonly fn: (...args: never[]) => unknown
  /** The label was given explicitly (`label:` option), so sharing it is deliberate. */
  readonly explicitLabel: boolean
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
  /** Spans open outside any test case (module level, `beforeAll`, `withRun`); cancelled when the run closes. */
  readonly scope: TestScope = newTestScope()
  private readonly series = new Map<string, SeriesAggregate>()
  /** The first task seen with each label; `null` once the label was warned about. */
  private readonly labelOwners = new Map<string, LabelledTask | null>()
  private runSeq = 0
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

  /**
   * Adds a raw value to a run-level series and returns the run-level point: the series' aggregate after
   * it (per `mode`, else the raw value) and its order among the run's run-level points. Records nothing.
   */
  aggregate(name: string, raw: number, mode: MetricMode | undefined): RunPoint {
    let aggregate = this.series.get(name)
    if (aggregate === undefined) {
      aggregate = new SeriesAggregate()
      this.series.set(name, aggregate)
    }
    return { name, value: aggregate.add(raw, mode), mode, seq: this.runSeq++ }
  }

  /** Adds and records a run-level point that stands alone (a metric logged on the run); returns its value. */
  addRunMetric(
    name: string,
    raw: number,
    mode: MetricMode | undefined,
    step: number,
    timestamp: number,
    spanId: string | null,
  ): number {
    const point = this.aggregate(name, raw, mode)
    this.recorder?.recordRunMetric(spanId, point, raw, step, timestamp)
    return point.value
  }

  /**
   * Notes a task called in this run; the first time a different function shares a task's label (and not
   * both chose it explicitly), warns once naming both, since their metrics merge under `<label>.*`.
   * Tasks derived with `task.with(…)` wrap the same function and are the same task here.
   */
  noteTask(task: LabelledTask): void {
    const owner = this.labelOwners.get(task.label)
    if (owner === undefined) {
      this.labelOwners.set(task.label, task)
      return
    }
    if (owner === null || owner.fn === task.fn || (owner.explicitLabel && task.explicitLabel)) return
    this.labelOwners.set(task.label, null)
    console.warn(
      `strikes: run "${this.name}": two different tasks share the label "${task.label}" — ${describeTask(owner)} and ` +
        `${describeTask(task)} — so their metrics merge into "${task.label}.*"; give one a name or a \`label\``,
    )
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

/** A task as a warning names it: its name, and the start of its source (anonymous functions all look alike). */
function describeTask(task: LabelledTask): string {
  let source: string
  try {
    source = Function.prototype.toString.call(task.fn).replace(/\s+/g, ' ')
  } catch {
    source = ''
  }
  const excerpt = source.length > 60 ? `${source.slice(0, 59)}…` : source
  return excerpt === '' ? `task "${task.name}"` : `task "${task.name}" (${excerpt})`
}
