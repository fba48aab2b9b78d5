/**
 * A query's result as `strikes query` prints it: an aligned table (default), CSV (RFC 4180) or JSON (an
 * array of row objects; integers as numbers while they are exact, timestamps as DuckDB prints them).
 */
import type { DuckDBResultReader, Json } from '@duckdb/node-api'
import { formatTable, oneLine } from './text-table.js'

/** A materialised query result. */
export interface QueryResult {
  readonly columns: readonly string[]
  readonly types: readonly string[]
  /** Values as JavaScript values (bigint, Date, …). */
  readonly values: readonly (readonly unknown[])[]
  /** Values as JSON-safe values (DuckDB's text for timestamps and large integers). */
  readonly json: readonly (readonly Json[])[]
}

/** Reads every row of a result reader. */
export function readQueryResult(reader: DuckDBResultReader): QueryResult {
  return {
    columns: reader.columnNames(),
    types: reader.columnTypes().map(String),
    values: reader.getRowsJS(),
    json: reader.getRowsJson(),
  }
}

const NUMERIC = /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|REAL|DECIMAL.*|UHUGEINT)$/

/** The result as an aligned table with a row count underneath. */
export function formatResultTable(result: QueryResult): string[] {
  const rows = result.json.map((row) => row.map((cell) => tableCell(cell)))
  const align = result.types.map((type) => (NUMERIC.test(type) ? ('right' as const) : ('left' as const)))
  return [
    ...formatTable(result.columns, rows, { align }),
    `(${result.json.length} row${result.json.length === 1 ? '' : 's'})`,
  ]
}

/** The result as CSV with a header line (NULL is an empty field; nested values are JSON). */
export function formatResultCsv(result: QueryResult): string {
  const lines = [
    result.columns.map(csvField),
    ...result.json.map((row) => row.map((cell) => csvField(csvText(cell)))),
  ]
  return lines.map((line) => line.join(',')).join('\r\n')
}

/** The result as a JSON array of row objects. */
export function formatResultJson(result: QueryResult): string {
  const rows = result.values.map((row, rowIndex) =>
    Object.fromEntries(
      result.columns.map((column, columnIndex) => [
        column,
        jsonCell(row[columnIndex], result.json[rowIndex]?.[columnIndex] ?? null),
      ]),
    ),
  )
  return JSON.stringify(rows, null, 2)
}

function tableCell(cell: Json): string {
  if (cell === null) return 'NULL'
  if (typeof cell === 'string') return oneLine(cell)
  if (typeof cell === 'object') return oneLine(JSON.stringify(cell))
  return String(cell)
}

function csvText(cell: Json): string {
  if (cell === null) return ''
  if (typeof cell === 'object') return JSON.stringify(cell)
  return String(cell)
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** Exact integers and finite numbers stay numbers; everything else takes DuckDB's JSON-safe form. */
function jsonCell(value: unknown, json: Json): Json {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : json
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : json
  return json
}
