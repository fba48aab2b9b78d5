/**
 * How a run's records file becomes table rows, derived from the spool format's one list of fields per
 * record kind (`src/shared/spool/format.ts`): the columns `read_json` reads the file with, and one
 * `INSERT … SELECT` per table — with the rows some lines carry into another table, and objects kept once
 * per run and hash.
 */
import {
  duckdbType,
  type FieldSpec,
  RECORD_KINDS,
  type RecordKindSpec,
} from '../../src/shared/spool/format.js'

const KINDS: readonly RecordKindSpec[] = Object.values(RECORD_KINDS)

/** Tables the spool fills. */
export type SpoolTable = (typeof RECORD_KINDS)[keyof typeof RECORD_KINDS]['table']

/** Every field a record line may have, with the DuckDB type `read_json` reads it as (`t` is the kind's tag). */
export function recordColumns(): Record<string, string> {
  const columns: Record<string, string> = { t: 'VARCHAR' }
  for (const kind of KINDS) {
    for (const [name, spec] of Object.entries(kind.fields)) {
      const type = duckdbType(spec.type)
      const known = columns[name]
      if (known !== undefined && known !== type) {
        throw new Error(
          `strikes: spool field "${name}" is ${known} in one record kind and ${type} in another`,
        )
      }
      columns[name] = type
    }
  }
  return columns
}

/**
 * The SQL that reads a field into its table column: timestamps from microseconds; embedded JSON that is
 * `null` (read as SQL NULL) stored back as the JSON value null.
 */
function fieldSql(name: string, spec: FieldSpec | undefined): string {
  if (spec?.type === 'micros') return `make_timestamp(${name})`
  if (spec?.type === 'json' && spec.nullable !== true) return `coalesce(${name}, 'null'::JSON)`
  return name
}

/** One source of rows for a table: the lines of a kind (optionally only those carrying a row), column → SQL. */
interface RowSource {
  readonly tag: string
  readonly where: string | undefined
  readonly columns: ReadonlyArray<readonly [string, string]>
}

/** The rows each table gets, and from which lines. */
export function tableSources(): Map<string, { uniqueBy: string | undefined; sources: RowSource[] }> {
  const tables = new Map<string, { uniqueBy: string | undefined; sources: RowSource[] }>()
  const add = (table: string, uniqueBy: string | undefined, source: RowSource): void => {
    const entry = tables.get(table) ?? { uniqueBy: undefined, sources: [] }
    entry.uniqueBy ??= uniqueBy
    entry.sources.push(source)
    tables.set(table, entry)
  }
  for (const kind of KINDS) {
    const own = Object.entries(kind.fields)
      .filter(([, spec]) => spec.column !== false)
      .map(
        ([name, spec]) =>
          [typeof spec.column === 'string' ? spec.column : name, fieldSql(name, spec)] as const,
      )
    add(kind.table, kind.uniqueBy, { tag: kind.tag, where: undefined, columns: own })
    const carried = kind.carries
    if (carried !== undefined) {
      const columns = Object.entries(carried.columns).map(
        ([column, field]) => [column, fieldSql(field, kind.fields[field])] as const,
      )
      add(carried.table, undefined, { tag: kind.tag, where: `${carried.when} IS NOT NULL`, columns })
    }
  }
  return tables
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** Largest single JSON record `read_json` accepts (a stored object is at most `maxObjectBytes` plus its envelope). */
const MAX_RECORD_BYTES = 256 * 1024 * 1024

/** The temporary table a records file is read into once. */
export const INGEST_TABLE = 'strikes_ingest'

/** The column of the ingest table naming each line's run, when one table holds the lines of several runs. */
export const RUN_COLUMN = 'strikes_run_id'

/**
 * The largest record a large run's first ingest attempt reads (`read_json` sizes its buffers by it); a
 * run with a larger record is read again with `MAX_RECORD_BYTES`.
 */
export const STREAMED_RECORD_BYTES = 2 * 1024 * 1024

/** True when DuckDB refused a record longer than the `maximum_object_size` it was given. */
export function isRecordTooLarge(error: unknown): boolean {
  return /maximum_object_size/i.test(error instanceof Error ? error.message : String(error))
}

/** The statement that reads a records file into the ingest table (records up to `maxRecordBytes`). */
export function readRecordsStatement(file: string, maxRecordBytes = MAX_RECORD_BYTES): string {
  const spec = Object.entries(recordColumns())
    .map(([name, type]) => `${name}: ${sqlString(type)}`)
    .join(', ')
  return (
    `CREATE OR REPLACE TEMP TABLE ${INGEST_TABLE} AS SELECT * FROM read_json(${sqlString(file)}, ` +
    `format = 'newline_delimited', maximum_object_size = ${maxRecordBytes}, columns = {${spec}})`
  )
}

/** The column of a batch's ingest table marking lines that name a span their run's records do not hold. */
const ORPHAN_COLUMN = 'strikes_orphan'

/**
 * The statement that reads several runs' records files into the ingest table at once, each line tagged
 * with its run's id (`RUN_COLUMN`) through the file it came from, and marked once (`ORPHAN_COLUMN`) when
 * it names a span its own run's records do not hold (see {@link HAS_SPAN}), so the counts and every insert
 * filter on a column instead of each joining the table with itself.
 */
export function readBatchStatement(files: ReadonlyArray<{ file: string; runId: string }>): string {
  const spec = Object.entries(recordColumns())
    .map(([name, type]) => `${name}: ${sqlString(type)}`)
    .join(', ')
  const list = files.map(({ file }) => sqlString(file)).join(', ')
  const runs = files.map(({ file, runId }) => `(${sqlString(file)}, ${sqlString(runId)})`).join(', ')
  return (
    `CREATE OR REPLACE TEMP TABLE ${INGEST_TABLE} AS WITH lines AS MATERIALIZED (SELECT m.${RUN_COLUMN}, j.* EXCLUDE (filename) ` +
    `FROM read_json([${list}], format = 'newline_delimited', maximum_object_size = ${MAX_RECORD_BYTES}, ` +
    `filename = true, columns = {${spec}}) j JOIN (VALUES ${runs}) m(filename, ${RUN_COLUMN}) USING (filename)), ` +
    `spanned AS (SELECT DISTINCT ${RUN_COLUMN}, span_id FROM lines WHERE t = '${SPAN_TAG}') ` +
    `SELECT l.*, (l.t <> '${SPAN_TAG}' AND l.span_id IS NOT NULL AND s.span_id IS NULL) AS ${ORPHAN_COLUMN} ` +
    `FROM lines l LEFT JOIN spanned s ON s.${RUN_COLUMN} = l.${RUN_COLUMN} AND s.span_id = l.span_id`
  )
}

/** The tag of span lines. */
const SPAN_TAG = RECORD_KINDS.span.tag

/**
 * SQL: rows that name a span the records file does not hold — values and metric points of a task that
 * was still running when its worker died (its span is written when it ends). They are left out, so no
 * `task_io`, `metrics` or `run_metrics` row points at a span that does not exist.
 */
const HAS_SPAN = `(span_id IS NULL OR span_id IN (SELECT span_id FROM ${INGEST_TABLE} WHERE t = '${SPAN_TAG}'))`

/** The counts of what {@link HAS_SPAN} leaves out: `values` (task_io lines) and `points` (metric lines). */
const ORPHAN_COUNTS = `count(*) FILTER (WHERE t = '${RECORD_KINDS.taskIo.tag}') AS orphan_values,
    count(*) FILTER (WHERE t <> '${RECORD_KINDS.taskIo.tag}') AS orphan_points`

/** The statement counting what {@link HAS_SPAN} leaves out of a run's records. */
export const ORPHANS_STATEMENT = `SELECT ${ORPHAN_COUNTS}
  FROM ${INGEST_TABLE}
  WHERE t <> '${SPAN_TAG}' AND span_id IS NOT NULL AND NOT ${HAS_SPAN}`

/** The statement counting the lines of the records file (checked against the worker's count). */
export const LINES_STATEMENT = `SELECT count(*) AS lines FROM ${INGEST_TABLE}`

/**
 * The statement counting, per run of a batch (`run_id`), its lines (`lines`, checked against its
 * worker's count) and what its orphan mark leaves out (`orphan_values`, `orphan_points`).
 */
export const BATCH_COUNTS_STATEMENT = `SELECT ${RUN_COLUMN} AS run_id, count(*) AS lines,
    count(*) FILTER (WHERE ${ORPHAN_COLUMN} AND t = '${RECORD_KINDS.taskIo.tag}') AS orphan_values,
    count(*) FILTER (WHERE ${ORPHAN_COLUMN} AND t <> '${RECORD_KINDS.taskIo.tag}') AS orphan_points
  FROM ${INGEST_TABLE} GROUP BY ${RUN_COLUMN}`

/** The statements that split the ingest table into the tables, for the run `runId`: `[table, sql]` pairs. */
export function insertStatements(runId: string): [SpoolTable, string][] {
  return splitStatements(sqlString(runId), undefined)
}

/** The statements that split an ingest table holding several runs' lines (run in `RUN_COLUMN`). */
export function batchInsertStatements(): [SpoolTable, string][] {
  return splitStatements(RUN_COLUMN, RUN_COLUMN)
}

/**
 * `INSERT … SELECT` per table: the run id is the SQL `run`; `groupBy` (the run column of a batch) joins
 * `uniqueBy` so objects stay one per run and hash.
 */
function splitStatements(run: string, groupBy: string | undefined): [SpoolTable, string][] {
  const statements: [SpoolTable, string][] = []
  for (const [table, { uniqueBy, sources }] of tableSources()) {
    const selects = sources.map((source) => {
      const spanned = table !== 'spans' && source.columns.some(([column]) => column === 'span_id')
      const where =
        `t = '${source.tag}'${source.where === undefined ? '' : ` AND ${source.where}`}` +
        (spanned ? ` AND ${groupBy === undefined ? HAS_SPAN : `NOT ${ORPHAN_COLUMN}`}` : '')
      return { columns: source.columns, sql: `FROM ${INGEST_TABLE} WHERE ${where}` }
    })
    const columns = selects[0]?.columns.map(([column]) => column) ?? []
    const list = `run_id, ${columns.join(', ')}`
    if (uniqueBy === undefined) {
      for (const select of selects) {
        const values = select.columns.map(([, sql]) => sql).join(', ')
        statements.push([
          table as SpoolTable,
          `INSERT INTO ${table} (${list}) SELECT ${run}, ${values} ${select.sql}`,
        ])
      }
      continue
    }
    // One row per run and `uniqueBy`: the worker skips large values it remembers, this catches the rest.
    const union = selects
      .map((select) => {
        const byColumn = new Map(select.columns)
        const prefix = groupBy === undefined ? '' : `${groupBy}, `
        return `SELECT ${prefix}${columns.map((column) => `${byColumn.get(column) ?? 'NULL'} AS ${column}`).join(', ')} ${select.sql}`
      })
      .join(' UNION ALL ')
    const picked = columns.map((column) => (column === uniqueBy ? column : `any_value(${column})`))
    const keys = groupBy === undefined ? uniqueBy : `${groupBy}, ${uniqueBy}`
    statements.push([
      table as SpoolTable,
      `INSERT INTO ${table} (${list}) SELECT ${run}, ${picked.join(', ')} FROM (${union}) GROUP BY ${keys}`,
    ])
  }
  return statements
}
