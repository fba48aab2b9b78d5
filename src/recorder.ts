/**
 * The recorder of one run in a worker: turns spans, metric points and logged values into spool records
 * (see `record.ts`), content-addressing values so each distinct object is written once per batch window.
 */
import type { Metric } from './metrics.js'
import type {
  IoDirection,
  MetricMode,
  MetricRecordV1,
  RunEventV1,
  RunMetricRecordV1,
  SpanRecordV1,
  TaskIoRecordV1,
} from './record.js'
import { toMicros } from './record.js'
import { canonicalJson, serialiseValue } from './serialise.js'
import type { SpoolWriter } from './spool.js'

/** How many object hashes the recorder remembers to skip rewriting a value (ingest de-duplicates the rest). */
const SEEN_OBJECTS_LIMIT = 10_000

/** Writes one run's records to its spool. */
export class Recorder {
  readonly runId: string
  readonly spool: SpoolWriter
  private readonly maxObjectBytes: number
  private readonly seenObjects = new Set<string>()
  private metricSeq = 0
  private runMetricSeq = 0

  constructor(runId: string, spool: SpoolWriter, maxObjectBytes: number) {
    this.runId = runId
    this.spool = spool
    this.maxObjectBytes = maxObjectBytes
  }

  /** Records an ended span. */
  recordSpan(record: SpanRecordV1): void {
    this.spool.append('spans', JSON.stringify(record))
  }

  /** Records a task-level metric point. */
  recordMetric(spanId: string, metric: Metric): void {
    const record: MetricRecordV1 = {
      span_id: spanId,
      name: metric.name,
      value: metric.value,
      step: metric.step,
      ts: toMicros(metric.timestamp),
      source: metric.source,
      attributes: isEmpty(metric.attributes) ? null : metric.attributes,
      seq: this.metricSeq++,
    }
    this.spool.append('metrics', stringifyWithAttributes(record))
  }

  /** Records a point of a run-level series. */
  recordRunMetric(
    spanId: string | null,
    name: string,
    value: number,
    rawValue: number,
    mode: MetricMode | undefined,
    step: number,
    timestamp: number,
  ): void {
    const record: RunMetricRecordV1 = {
      span_id: spanId,
      name,
      value,
      raw_value: rawValue,
      mode: mode ?? null,
      step,
      ts: toMicros(timestamp),
      seq: this.runMetricSeq++,
    }
    this.spool.append('run_metrics', JSON.stringify(record))
  }

  /** Stores a value as a content-addressed object and returns its hash. */
  recordObject(value: unknown): string {
    const serialised = serialiseValue(value, { maxBytes: this.maxObjectBytes })
    if (!this.seenObjects.has(serialised.hash)) {
      if (this.seenObjects.size >= SEEN_OBJECTS_LIMIT) this.seenObjects.clear()
      this.seenObjects.add(serialised.hash)
      this.spool.append(
        'objects',
        `{"hash":"${serialised.hash}","size_bytes":${serialised.sizeBytes},"truncated":${serialised.truncated},"value":${serialised.json}}`,
      )
    }
    return serialised.hash
  }

  /** Records a logged input or output of a span (or of the run when `spanId` is null); returns the object hash. */
  recordValue(spanId: string | null, direction: IoDirection, name: string, value: unknown): string {
    const hash = this.recordObject(value)
    const record: TaskIoRecordV1 = {
      span_id: spanId,
      direction,
      name,
      hash,
    }
    this.spool.append('task_io', JSON.stringify(record))
    return hash
  }

  /** Writes a run event (start, param, tag, end) immediately. */
  recordRunEvent(event: RunEventV1): void {
    this.spool.writeRunEvent(event)
  }

  /** Writes queued records to disk. */
  flush(): void {
    this.spool.flush()
  }
}

/** JSON of a record whose `attributes` hold user data: values JSON cannot hold (BigInt, cycles) are serialised canonically. */
function stringifyWithAttributes(record: MetricRecordV1): string {
  try {
    return JSON.stringify(record)
  } catch {
    const attributes =
      record.attributes === null
        ? null
        : (JSON.parse(canonicalJson(record.attributes)) as Record<string, unknown>)
    return JSON.stringify({ ...record, attributes })
  }
}

function isEmpty(record: Readonly<Record<string, unknown>>): boolean {
  for (const _ in record) return false
  return true
}
