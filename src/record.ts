/**
 * The spool record format: what test workers write and the reporter ingests into DuckDB.
 *
 * A run's spool is one folder, `<spool root>/<session id>/<run id>/`, holding newline-delimited JSON:
 * - `run.ndjson`: run events in order — one `start` (carrying the format version), any number of
 *   `param` and `tag` events, and one `end` when the file finished (absent when the worker died);
 * - `records.ndjson`: every record of every table, one per line, each tagged by its table in `t`
 *   (see `RECORD_TAGS`), with columns named as in DuckDB; `run_id` is the folder's. One file, so a
 *   batch is one write (a flush at each test's end costs one system call, and a full disk cannot keep
 *   one table's records while losing another's).
 *   To keep the worker's cost per task low, two kinds of line carry a second row: a `task_io` line
 *   carries its object (`object`, `size_bytes`, `truncated`) the first time the object is written, and a
 *   metric line of a mirrored metric carries its run-level point (`run_name`, `run_value`, `mode`,
 *   `run_seq`). Object and run-metric lines hold only objects and points that stand alone (a metric's
 *   origin, a metric logged on the run).
 *
 * Records are appended in batches; a batch may end in a partial line if the worker was killed mid-write,
 * and the reader drops that line. Timestamps are integer microseconds since the Unix epoch (UTC).
 */

/** Version of the spool format written by this package; bumped on any incompatible change. */
export const SPOOL_FORMAT_VERSION = 1

/** File names inside a run's spool folder. */
export const SPOOL_FILES = {
  run: 'run.ndjson',
  records: 'records.ndjson',
} as const

/** The `t` tag of a record line, by the table it belongs to. */
export const RECORD_TAGS = {
  spans: 's',
  metrics: 'm',
  run_metrics: 'r',
  objects: 'o',
  task_io: 'i',
} as const

/** A table written through the spool. */
export type SpoolTable = keyof typeof RECORD_TAGS

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

/** A span line (`t: 's'`). */
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

/** A metric line (`t: 'm'`): a task-level metric point. */
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

/** A run-metric line (`t: 'r'`): a point of a run-level series that stands alone. */
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

/** An object line (`t: 'o'`): a content-addressed value that no span logged (stored once per run). */
export interface ObjectRecordV1 {
  hash: string
  /** Canonical JSON, embedded as JSON (not as a string). */
  object: unknown
  size_bytes: number
  truncated: boolean
}

/** An input/output line (`t: 'i'`): a logged input or output of a span. */
export interface TaskIoRecordV1 {
  /** The span that logged it, or null for a value logged on the run. */
  span_id: string | null
  direction: IoDirection
  name: string
  hash: string
  /** Present the first time the object is written: its canonical JSON, embedded. */
  object?: unknown
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
