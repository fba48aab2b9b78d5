/**
 * The spool format: what test workers write and the reporter ingests into DuckDB — the one contract
 * between the two sides, and the one list of columns everything else is derived from.
 *
 * A run's spool is one folder, `<spool root>/<session id>/<run id>/`, holding newline-delimited JSON:
 * - `run.ndjson`: run events in order — one `start` (carrying the format version), any number of
 *   `param` and `tag` events, and one `end` when the file finished (absent when the worker died);
 * - `records.ndjson`: every record of every kind, one per line, tagged by its kind in `t`. One file, so
 *   a batch is one write, and a full disk cannot keep one table's records while losing another's.
 *
 * `RECORD_KINDS` lists each kind's fields in line order. From it come the record types below, the line
 * encoders (`lines.ts`), the columns `read_json` reads and the statements that split a records file into
 * tables (`reporter/store/ingest.ts`); a test checks it against the DuckDB schema. A new column is one
 * field here plus a schema migration.
 *
 * Two kinds of line carry a second row, to keep the worker's cost per task low: a metric line of a
 * mirrored metric carries its run-level point, and an input/output line carries its object the first
 * time the object is written. Records are appended in batches; a batch may end in a partial line if the
 * worker was killed mid-write, and the reader drops that line. Timestamps are integer microseconds since
 * the Unix epoch (UTC).
 */

/** Version of the spool format written by this package; bumped on any incompatible change. */
export const SPOOL_FORMAT_VERSION = 1

/** File names inside a run's spool folder. */
export const SPOOL_FILES = {
  run: 'run.ndjson',
  records: 'records.ndjson',
} as const

/**
 * How a field is written: `id` is text strikes generates that needs no escaping (ids, hashes, enum
 * words); `text` any string; `micros` an integer timestamp stored as TIMESTAMP; `object` a record written
 * as JSON; `json` JSON text embedded as it is.
 */
export type FieldType =
  | 'id'
  | 'text'
  | 'texts'
  | 'number'
  | 'integer'
  | 'micros'
  | 'boolean'
  | 'object'
  | 'json'

/** One field of a record line. */
export interface FieldSpec {
  readonly type: FieldType
  /** The value may be `null`. */
  readonly nullable?: boolean
  /** The field is left out of the line when `undefined`. */
  readonly optional?: boolean
  /** The table column it fills, when not named like the field; `false` for a carried field only. */
  readonly column?: string | false
}

/** A second row some lines carry into another table: table column → the field (or SQL over fields) it comes from. */
export interface CarriedRow {
  readonly table: string
  /** Fields whose presence marks a line that carries the row. */
  readonly when: string
  readonly columns: Readonly<Record<string, string>>
}

/** One kind of record line. */
export interface RecordKindSpec {
  /** The `t` tag of its lines. */
  readonly tag: string
  /** The table its rows go to (with `run_id` from the spool folder). */
  readonly table: string
  readonly fields: Readonly<Record<string, FieldSpec>>
  readonly carries?: CarriedRow
  /** Rows of its table are kept once per run and value of this column (objects are content-addressed). */
  readonly uniqueBy?: string
}

const id = { type: 'id' } as const
const idOrNull = { type: 'id', nullable: true } as const
const text = { type: 'text' } as const
const number = { type: 'number' } as const
const integer = { type: 'integer' } as const
const micros = { type: 'micros' } as const

/** Every kind of record line, its fields in line order. */
export const RECORD_KINDS = {
  /** A span: a task call, a `taskSpan` block or a test case. */
  span: {
    tag: 's',
    table: 'spans',
    fields: {
      span_id: id,
      trace_id: id,
      parent_id: idOrNull,
      kind: id,
      name: text,
      label: text,
      tags: { type: 'texts' },
      status: id,
      error: { type: 'text', nullable: true },
      started_at: micros,
      duration_ms: number,
      attributes: { type: 'object' },
      /** The task's `key` option, else a hash of the label and the logged inputs; null without either. */
      input_key: { type: 'text', nullable: true },
      trial: { type: 'integer', nullable: true },
    },
  },
  /** A task-level metric point, with its mirrored run-level point when the metric is mirrored. */
  metric: {
    tag: 'm',
    table: 'metrics',
    fields: {
      span_id: id,
      name: text,
      value: number,
      step: number,
      ts: micros,
      source: id,
      seq: integer,
      attributes: { type: 'object', nullable: true },
      /** The run-level key (`<label>.<name>`). */
      run_name: { type: 'text', optional: true, column: false },
      /** The run-level series' aggregate after this point (per `mode`, else the raw value). */
      run_value: { type: 'number', optional: true, column: false },
      mode: { type: 'id', nullable: true, optional: true, column: false },
      /** Order of the run-level point among the run's run-level points. */
      run_seq: { type: 'integer', optional: true, column: false },
    },
    carries: {
      table: 'run_metrics',
      when: 'run_name',
      columns: {
        span_id: 'span_id',
        name: 'run_name',
        value: 'run_value',
        raw_value: 'value',
        mode: 'mode',
        step: 'step',
        ts: 'ts',
        seq: 'run_seq',
      },
    },
  },
  /** A point of a run-level series that stands alone (a metric logged on the run). */
  runMetric: {
    tag: 'r',
    table: 'run_metrics',
    fields: {
      span_id: idOrNull,
      name: text,
      value: number,
      raw_value: number,
      mode: idOrNull,
      step: number,
      ts: micros,
      seq: integer,
    },
  },
  /** A content-addressed value that no span logged (a metric's origin). */
  object: {
    tag: 'o',
    table: 'objects',
    uniqueBy: 'hash',
    fields: {
      hash: id,
      size_bytes: integer,
      truncated: { type: 'boolean' },
      /** Canonical JSON, embedded as JSON (not as a string). */
      object: { type: 'json', column: 'value' },
    },
  },
  /** A logged input or output of a span (or of the run when `span_id` is null). */
  taskIo: {
    tag: 'i',
    table: 'task_io',
    fields: {
      span_id: idOrNull,
      direction: id,
      name: text,
      hash: id,
      size_bytes: { type: 'integer', optional: true, column: false },
      truncated: { type: 'boolean', optional: true, column: false },
      object: { type: 'json', optional: true, column: false },
    },
    carries: {
      table: 'objects',
      when: 'size_bytes',
      columns: { hash: 'hash', value: 'object', size_bytes: 'size_bytes', truncated: 'truncated' },
    },
  },
} as const satisfies Record<string, RecordKindSpec>

/** A kind of record line. */
export type RecordKind = keyof typeof RECORD_KINDS

type FieldValue<T extends FieldType> = T extends 'id' | 'text' | 'json'
  ? string
  : T extends 'texts'
    ? readonly string[]
    : T extends 'boolean'
      ? boolean
      : T extends 'object'
        ? Readonly<Record<string, unknown>>
        : number

type Fields<K extends RecordKind> = (typeof RECORD_KINDS)[K]['fields']
type NullableValue<S> = S extends { type: infer T extends FieldType }
  ? S extends { nullable: true }
    ? FieldValue<T> | null
    : FieldValue<T>
  : never
type RequiredNames<F> = { [N in keyof F]: F[N] extends { optional: true } ? never : N }[keyof F]
type OptionalNames<F> = { [N in keyof F]: F[N] extends { optional: true } ? N : never }[keyof F]

/** The record of a kind, typed from its fields (`json` fields hold JSON text). */
export type RecordOf<K extends RecordKind> = {
  -readonly [N in RequiredNames<Fields<K>>]: NullableValue<Fields<K>[N]>
} & { -readonly [N in OptionalNames<Fields<K>>]?: NullableValue<Fields<K>[N]> }

/** A span line. */
export type SpanRecord = RecordOf<'span'>
/** A metric line. */
export type MetricRecord = RecordOf<'metric'>
/** A run-metric line. */
export type RunMetricRecord = RecordOf<'runMetric'>
/** An object line. */
export type ObjectRecord = RecordOf<'object'>
/** An input/output line. */
export type TaskIoRecord = RecordOf<'taskIo'>

/** Kinds of spans: a task (`evalTask`), a `taskSpan`, a Vitest test case. */
export type SpanKind = 'task' | 'span' | 'test'
/** Where a task-level metric point came from. */
export type MetricSource = 'log' | 'scorer' | 'exec'
/** Aggregation applied to a run-level series. */
export type MetricMode = 'avg' | 'sum' | 'min' | 'max' | 'count'
/** Direction of a logged task value. */
export type IoDirection = 'input' | 'output'

/**
 * Final status of a run, as stored in `runs.status`: `cancelled` when the run was stopped before its
 * tests finished (`--bail`, Ctrl-C), `skipped` when none of its tests ran (`.skip`, a test name filter).
 */
export type RunStatus = 'passed' | 'failed' | 'crashed' | 'skipped' | 'cancelled'

/** What a worker can tell of a run that ended (a crashed run has no end event). */
export type EndedRunStatus = Exclude<RunStatus, 'crashed'>

/** First line of `run.ndjson`. */
export interface RunStartEvent {
  type: 'start'
  v: typeof SPOOL_FORMAT_VERSION
  run_id: string
  session_id: string
  project: string
  name: string
  file: string
  /** The Vitest project whose worker ran the file (absent outside Vitest). */
  vitest_project?: string
  started_at: number
  pid: number
  params: Record<string, unknown>
  tags: string[]
}

/** A run parameter logged with `logParam`/`logParams` (the latest value of a key wins). */
export interface RunParamEvent {
  type: 'param'
  key: string
  /** Canonical JSON text of the value. */
  value: string
}

/** Tags added to the run with `tag(...)`. */
export interface RunTagEvent {
  type: 'tag'
  tags: string[]
}

/** Last line of `run.ndjson`, written when the file (or `withRun` callback) finished. */
export interface RunEndEvent {
  type: 'end'
  ended_at: number
  /** What the worker saw; the reporter refines it with Vitest's own results. */
  status: EndedRunStatus
  /**
   * Errors outside any test — an import-time throw, a failing `beforeAll`/`afterAll`, an unhandled
   * rejection — as text (stored as `runs.error`); absent when there were none.
   */
  error?: string
}

/** A line of `run.ndjson`. */
export type RunEvent = RunStartEvent | RunParamEvent | RunTagEvent | RunEndEvent

/** Microseconds since the Unix epoch for a millisecond timestamp (fractions kept). */
export function toMicros(epochMs: number): number {
  return Math.round(epochMs * 1000)
}

/** The DuckDB type `read_json` reads a field of this type as. */
export function duckdbType(type: FieldType): string {
  switch (type) {
    case 'id':
    case 'text':
      return 'VARCHAR'
    case 'texts':
      return 'VARCHAR[]'
    case 'number':
      return 'DOUBLE'
    case 'integer':
    case 'micros':
      return 'BIGINT'
    case 'boolean':
      return 'BOOLEAN'
    case 'object':
    case 'json':
      return 'JSON'
  }
}
