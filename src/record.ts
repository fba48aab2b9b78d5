/**
 * The spool record format: what test workers write and the reporter ingests into DuckDB.
 *
 * A run's spool is one folder, `<spool root>/<session id>/<run id>/`, holding newline-delimited JSON:
 * - `run.ndjson`: run events in order — one `start` (carrying the format version), any number of
 *   `param` and `tag` events, and one `end` when the file finished (absent when the worker died);
 * - one file per table (`spans.ndjson`, `metrics.ndjson`, `run_metrics.ndjson`, `objects.ndjson`,
 *   `task_io.ndjson`), one record per line, columns named as in DuckDB; `run_id` is the folder's.
 *   To keep the worker's cost per task low, two kinds of line carry a second row: a `task_io` line
 *   carries its object (`value`, `size_bytes`, `truncated`) the first time the object is written, and a
 *   `metrics` line of a mirrored metric carries its run-level point (`run_name`, `run_value`, `mode`,
 *   `run_seq`). `objects.ndjson` and `run_metrics.ndjson` hold only objects and points that stand alone
 *   (a metric's origin, a metric logged on the run).
 *
 * Records are appended in batches; a batch may end in a partial line if the worker was killed mid-write,
 * and the reader drops that line. Timestamps are integer microseconds since the Unix epoch (UTC).
 */

/** Version of the spool format written by this package; bumped on any incompatible change. */
export const SPOOL_FORMAT_VERSION = 1

/** File names inside a run's spool folder, by table. */
export const SPOOL_FILES = {
  run: 'run.ndjson',
  spans: 'spans.ndjson',
  metrics: 'metrics.ndjson',
  run_metrics: 'run_metrics.ndjson',
  objects: 'objects.ndjson',
  task_io: 'task_io.ndjson',
} as const

/** A table written through the spool. */
export type SpoolTable = Exclude<keyof typeof SPOOL_FILES, 'run'>

/** Kinds of spans: a task (`evalTask`), a `taskSpan`, a Vitest test case. */
export type SpanKind = 'task' | 'span' | 'test'
/** Where a task-level metric point came from. */
export type MetricSource = 'log' | 'scorer' | 'exec'
/** Aggregation applied to a run-level series. */
export type MetricMode = 'avg' | 'sum' | 'min' | 'max' | 'count'
/** Direction of a logged task value. */
export type IoDirection = 'input' | 'output'

/** First line of `run.ndjson`. */
export interface RunStartEventV1 {
  type: 'start'
  v: typeof SPOOL_FORMAT_VERSION
  run_id: string
  session_id: string
  project: string
  name: string
  file: string
  started_at: number
  pid: number
  params: Record<string, unknown>
  tags: string[]
}

/** A run parameter logged with `logParam`/`logParams` (the latest value of a key wins). */
export interface RunParamEventV1 {
  type: 'param'
  key: string
  /** Canonical JSON text of the value. */
  value: string
}

/** Tags added to the run with `tag(...)`. */
export interface RunTagEventV1 {
  type: 'tag'
  tags: string[]
}

/** Last line of `run.ndjson`, written when the file (or `withRun` callback) finished. */
export interface RunEndEventV1 {
  type: 'end'
  ended_at: number
  /** What the worker saw; the reporter refines it with Vitest's own results. */
  status: 'passed' | 'failed'
}

export type RunEventV1 = RunStartEventV1 | RunParamEventV1 | RunTagEventV1 | RunEndEventV1

/** One line of `spans.ndjson`. */
export interface SpanRecordV1 {
  span_id: string
  trace_id: string
  parent_id: string | null
  kind: SpanKind
  name: string
  label: string
  tags: string[]
  status: 'ok' | 'error'
  error: string | null
  started_at: number
  duration_ms: number
  attributes: Record<string, unknown>
}

/** One line of `metrics.ndjson`: a task-level metric point. */
export interface MetricRecordV1 {
  span_id: string
  name: string
  value: number
  step: number
  ts: number
  source: MetricSource
  attributes: Record<string, unknown> | null
  /** Order of the point among the run's metric records. */
  seq: number
  /** For a mirrored metric: the run-level key (`<label>.<name>`); absent otherwise. */
  run_name?: string
  /** The run-level series' aggregate after this point (per `mode`, else the raw value). */
  run_value?: number
  mode?: MetricMode | null
  /** Order of the run-level point among the run's run-level points. */
  run_seq?: number
}

/** One line of `run_metrics.ndjson`: a point of a run-level series. */
export interface RunMetricRecordV1 {
  span_id: string | null
  name: string
  /** The series' aggregate after this point (per `mode`), or the raw value when no mode is set. */
  value: number
  raw_value: number
  mode: MetricMode | null
  step: number
  ts: number
  /** Order of the point among the run's run-level records (the order its aggregate was computed in). */
  seq: number
}

/** One line of `objects.ndjson`: a content-addressed value (stored once per run). */
export interface ObjectRecordV1 {
  hash: string
  /** Canonical JSON, embedded as JSON (not as a string). */
  value: unknown
  size_bytes: number
  truncated: boolean
}

/** One line of `task_io.ndjson`: a logged input or output of a span. */
export interface TaskIoRecordV1 {
  /** The span that logged it, or null for a value logged on the run. */
  span_id: string | null
  direction: IoDirection
  name: string
  hash: string
  /** Present the first time the object is written: its canonical JSON, embedded. */
  value?: unknown
  size_bytes?: number
  truncated?: boolean
}

/** Records by table, for the current format version. */
export interface SpoolRecordsV1 {
  spans: SpanRecordV1
  metrics: MetricRecordV1
  run_metrics: RunMetricRecordV1
  objects: ObjectRecordV1
  task_io: TaskIoRecordV1
}

/** Microseconds since the Unix epoch for a millisecond timestamp (fractions kept). */
export function toMicros(epochMs: number): number {
  return Math.round(epochMs * 1000)
}
