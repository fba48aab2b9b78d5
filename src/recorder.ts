/**
 * The recorder of one run in a worker: turns spans, metric points and logged values into spool records
 * (see `record.ts`), content-addressing values so each distinct object is written once per batch window.
 * Lines are built as text from their fields (only user-given strings go through `JSON.stringify`): the
 * recorder runs once or more per task, and a generic `JSON.stringify` of each record would cost more
 * than the rest of the task's bookkeeping.
 */
import type { Metric } from './metrics.js'
import type { IoDirection, MetricMode, RunEventV1, SpanRecordV1 } from './record.js'
import { toMicros } from './record.js'
import { canonicalJson, serialiseValue } from './serialise.js'
import type { SpoolWriter } from './spool.js'

/** How many object hashes the recorder remembers to skip rewriting a value (ingest de-duplicates the rest). */
const SEEN_OBJECTS_LIMIT = 10_000
/** Values shorter than this are always written inline: remembering them costs more than repeating them. */
const ALWAYS_INLINE_CHARS = 256

/** A mirrored metric's run-level point, written on the metric's line. */
export interface RunPoint {
  readonly name: string
  readonly value: number
  readonly mode: MetricMode | undefined
  readonly seq: number
}

/** Writes one run's records to its spool. */
export class Recorder {
  readonly runId: string
  readonly spool: SpoolWriter
  private readonly maxObjectBytes: number
  private readonly seenObjects = new Set<string>()
  private metricSeq = 0

  constructor(runId: string, spool: SpoolWriter, maxObjectBytes: number) {
    this.runId = runId
    this.spool = spool
    this.maxObjectBytes = maxObjectBytes
  }

  /** Records an ended span; an error message or stack longer than `maxObjectBytes` characters is cut, and flagged. */
  recordSpan(span: SpanRecordV1): void {
    const record = this.boundErrorText(span)
    this.spool.append(
      `{"t":"s","span_id":"${record.span_id}","trace_id":"${record.trace_id}","parent_id":${
        record.parent_id === null ? 'null' : `"${record.parent_id}"`
      },"kind":"${record.kind}","name":${JSON.stringify(record.name)},"label":${JSON.stringify(record.label)},"tags":${
        record.tags.length === 0 ? '[]' : JSON.stringify(record.tags)
      },"status":"${record.status}","error":${record.error === null ? 'null' : JSON.stringify(record.error)},"started_at":${
        record.started_at
      },"duration_ms":${record.duration_ms},"attributes":${attributesJson(record.attributes) ?? '{}'}}`,
    )
  }

  private boundErrorText(span: SpanRecordV1): SpanRecordV1 {
    if (span.error === null) return span
    const limit = this.maxObjectBytes
    const cut = (text: string): string =>
      `${text.slice(0, limit)}… [cut: ${text.length.toLocaleString('en-US')} characters in all]`
    const long = (value: unknown): value is string => typeof value === 'string' && value.length > limit
    const attributes = span.attributes
    if (
      !long(span.error) &&
      !long(attributes['exception.message']) &&
      !long(attributes['exception.stacktrace'])
    ) {
      return span
    }
    const bounded: Record<string, unknown> = { ...attributes, 'strikes.error_truncated': true }
    for (const key of ['exception.message', 'exception.stacktrace']) {
      const value = bounded[key]
      if (long(value)) bounded[key] = cut(value)
    }
    return { ...span, error: long(span.error) ? cut(span.error) : span.error, attributes: bounded }
  }

  /** Records a task-level metric point, with its mirrored run-level point when there is one. */
  recordMetric(spanId: string, metric: Metric, mirror?: RunPoint): void {
    const mirrored =
      mirror === undefined
        ? ''
        : `,"run_name":${JSON.stringify(mirror.name)},"run_value":${mirror.value},"mode":${
            mirror.mode === undefined ? 'null' : `"${mirror.mode}"`
          },"run_seq":${mirror.seq}`
    this.spool.append(
      `{"t":"m","span_id":"${spanId}","name":${JSON.stringify(metric.name)},"value":${metric.value},"step":${metric.step},"ts":${toMicros(
        metric.timestamp,
      )},"source":"${metric.source}","seq":${this.metricSeq++},"attributes":${attributesJson(metric.attributes) ?? 'null'}${mirrored}}`,
    )
  }

  /** Records a run-level point that stands alone (a metric logged on the run). */
  recordRunMetric(
    spanId: string | null,
    point: RunPoint,
    rawValue: number,
    step: number,
    timestamp: number,
  ): void {
    this.spool.append(
      `{"t":"r","span_id":${spanId === null ? 'null' : `"${spanId}"`},"name":${JSON.stringify(point.name)},"value":${
        point.value
      },"raw_value":${rawValue},"mode":${point.mode === undefined ? 'null' : `"${point.mode}"`},"step":${step},"ts":${toMicros(
        timestamp,
      )},"seq":${point.seq}}`,
    )
  }

  /** Stores a value as a content-addressed object that no span logged (a metric's origin); returns its hash. */
  recordObject(value: unknown): string {
    const serialised = serialiseValue(value, { maxBytes: this.maxObjectBytes })
    if (this.firstSighting(serialised.hash)) {
      this.spool.append(
        `{"t":"o","hash":"${serialised.hash}","size_bytes":${serialised.sizeBytes},"truncated":${serialised.truncated},"object":${serialised.json}}`,
      )
    }
    return serialised.hash
  }

  /** Records a logged input or output of a span (or of the run when `spanId` is null); returns the object hash. */
  recordValue(spanId: string | null, direction: IoDirection, name: string, value: unknown): string {
    const serialised = serialiseValue(value, { maxBytes: this.maxObjectBytes })
    const object =
      serialised.json.length < ALWAYS_INLINE_CHARS || this.firstSighting(serialised.hash)
        ? `,"size_bytes":${serialised.sizeBytes},"truncated":${serialised.truncated},"object":${serialised.json}`
        : ''
    this.spool.append(
      `{"t":"i","span_id":${spanId === null ? 'null' : `"${spanId}"`},"direction":"${direction}","name":${JSON.stringify(
        name,
      )},"hash":"${serialised.hash}"${object}}`,
    )
    return serialised.hash
  }

  /** Writes a run event (start, param, tag, end) immediately. */
  recordRunEvent(event: RunEventV1): void {
    this.spool.writeRunEvent(event)
  }

  /** Writes queued records to disk. */
  flush(): void {
    this.spool.flush()
  }

  private firstSighting(hash: string): boolean {
    if (this.seenObjects.has(hash)) return false
    if (this.seenObjects.size >= SEEN_OBJECTS_LIMIT) this.seenObjects.clear()
    this.seenObjects.add(hash)
    return true
  }
}

/**
 * JSON of user attributes, or `undefined` when there are none. Values JSON cannot hold (BigInt, cycles)
 * are written canonically instead of throwing.
 */
function attributesJson(attributes: Readonly<Record<string, unknown>>): string | undefined {
  for (const _ in attributes) {
    try {
      return JSON.stringify(attributes)
    } catch {
      return canonicalJson(attributes)
    }
  }
  return undefined
}
