/**
 * The recorder of one run in a worker: turns ended spans, metric points and logged values into spool
 * lines (see `shared/spool/format.ts`), content-addressing values so each distinct object is written
 * once per batch window.
 */
import type { Metric } from './metrics.js'
import { canonicalJson, serialiseValue } from './serialise.js'
import {
  type IoDirection,
  type MetricMode,
  type RunEvent,
  type SpanRecord,
  toMicros,
} from './shared/spool/format.js'
import { compileLineEncoders } from './shared/spool/lines.js'
import type { SpoolWriter } from './shared/spool/writer.js'

/** How many object hashes the recorder remembers to skip rewriting a value (ingest de-duplicates the rest). */
const SEEN_OBJECTS_LIMIT = 10_000
/** Values shorter than this are always written inline: remembering them costs more than repeating them. */
const ALWAYS_INLINE_CHARS = 256
/** Attribute values that may carry a long error text, cut like the error itself. */
const ERROR_ATTRIBUTES = ['exception.message', 'exception.stacktrace'] as const

/**
 * JSON of user attributes. Values JSON cannot hold (BigInt, cycles) are written canonically instead of
 * throwing.
 */
function attributesJson(attributes: Readonly<Record<string, unknown>>): string {
  try {
    return JSON.stringify(attributes)
  } catch {
    return canonicalJson(attributes)
  }
}

const encode = compileLineEncoders(attributesJson)

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

  /** Records an ended span; an error text longer than `maxObjectBytes` bytes of UTF-8 is cut, and flagged. */
  recordSpan(span: SpanRecord): void {
    this.spool.append(encode.span(this.boundErrorText(span)))
  }

  private boundErrorText(span: SpanRecord): SpanRecord {
    if (span.error === null) return span
    const limit = this.maxObjectBytes
    const attributes = span.attributes
    const long = (value: unknown): value is string =>
      typeof value === 'string' && value.length > limit / 3 && Buffer.byteLength(value) > limit
    if (!long(span.error) && !ERROR_ATTRIBUTES.some((key) => long(attributes[key]))) return span
    const bounded: Record<string, unknown> = { ...attributes, 'strikes.error_truncated': true }
    for (const key of ERROR_ATTRIBUTES) {
      const value = bounded[key]
      if (long(value)) bounded[key] = cutToBytes(value, limit)
    }
    return {
      ...span,
      error: long(span.error) ? cutToBytes(span.error, limit) : span.error,
      attributes: bounded,
    }
  }

  /** Records a task-level metric point, with its mirrored run-level point when there is one. */
  recordMetric(spanId: string, metric: Metric, mirror?: RunPoint): void {
    let attributes: Readonly<Record<string, unknown>> | null = null
    for (const _ in metric.attributes) {
      attributes = metric.attributes
      break
    }
    this.spool.append(
      encode.metric({
        span_id: spanId,
        name: metric.name,
        value: metric.value,
        step: metric.step,
        ts: toMicros(metric.timestamp),
        source: metric.source,
        seq: this.metricSeq++,
        attributes,
        run_name: mirror?.name,
        run_value: mirror?.value,
        mode: mirror === undefined ? undefined : (mirror.mode ?? null),
        run_seq: mirror?.seq,
      }),
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
      encode.runMetric({
        span_id: spanId,
        name: point.name,
        value: point.value,
        raw_value: rawValue,
        mode: point.mode ?? null,
        step,
        ts: toMicros(timestamp),
        seq: point.seq,
      }),
    )
  }

  /** Stores a value as a content-addressed object that no span logged (a metric's origin); returns its hash. */
  recordObject(value: unknown): string {
    const serialised = serialiseValue(value, { maxBytes: this.maxObjectBytes })
    if (this.firstSighting(serialised.hash)) {
      this.spool.append(
        encode.object({
          hash: serialised.hash,
          size_bytes: serialised.sizeBytes,
          truncated: serialised.truncated,
          object: serialised.json,
        }),
      )
    }
    return serialised.hash
  }

  /** Records a logged input or output of a span (or of the run when `spanId` is null); returns the object hash. */
  recordValue(spanId: string | null, direction: IoDirection, name: string, value: unknown): string {
    const serialised = serialiseValue(value, { maxBytes: this.maxObjectBytes })
    const inline = serialised.json.length < ALWAYS_INLINE_CHARS || this.firstSighting(serialised.hash)
    this.spool.append(
      encode.taskIo({
        span_id: spanId,
        direction,
        name,
        hash: serialised.hash,
        size_bytes: inline ? serialised.sizeBytes : undefined,
        truncated: inline ? serialised.truncated : undefined,
        object: inline ? serialised.json : undefined,
      }),
    )
    return serialised.hash
  }

  /** Writes a run event (start, param, tag, end) immediately. */
  recordRunEvent(event: RunEvent): void {
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

/** `text` cut to at most `limit` bytes of UTF-8 (never inside a character), with a note of its full length. */
function cutToBytes(text: string, limit: number): string {
  const bytes = Buffer.from(text)
  let end = Math.min(limit, bytes.length)
  // Step back to the start of a UTF-8 character (continuation bytes are 10xxxxxx).
  while (end > 0 && ((bytes[end] ?? 0) & 0xc0) === 0x80) end -= 1
  return `${bytes.toString('utf8', 0, end)}… [cut: ${bytes.length.toLocaleString('en-US')} bytes in all]`
}
