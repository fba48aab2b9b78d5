/**
 * A query's result as `strikes query` prints it, streamed chunk by chunk so that a million rows print
 * without holding them: an aligned table (default; the first `maxRows` rows, then how many more there
 * are), CSV (RFC 4180) or JSON (an array of row objects; integers as numbers while they are exact,
 * timestamps as DuckDB prints them). Stored text is printed safely for a terminal: the table shows control
 * characters as escapes; CSV keeps line breaks and tabs (data) and escapes the other control
 * characters; JSON escapes them as `\u` escapes, which JSON readers turn back into the same text.
 */
import {
  type DuckDBResult,
  JSDuckDBValueConverter,
  type Json,
  JsonDuckDBValueConverter,
} from '@duckdb/node-api'
import { terminalJson, terminalText } from '../terminal-text.js'
import { formatTable } from './text-table.js'

/** How `strikes query` prints. */
export type QueryFormat = 'table' | 'csv' | 'json'

/** Rows an aligned table shows by default (the rest are counted). */
export const DEFAULT_TABLE_ROWS = 1000

const NUMERIC = /^(U?(TINY|SMALL|BIG|HUGE)?INT(EGER)?|FLOAT|DOUBLE|REAL|DECIMAL.*|UHUGEINT)$/

/** Prints a streamed result with `out` (one call per block of lines; `out` ends each with a newline). */
export async function printQueryResult(
  result: DuckDBResult,
  format: QueryFormat,
  out: (text: string) => void,
  maxRows = DEFAULT_TABLE_ROWS,
): Promise<void> {
  const columns = result.columnNames()
  const types = result.columnTypes().map(String)
  if (format === 'table') {
    const rows: string[][] = []
    let total = 0
    while (true) {
      const chunk = await result.fetchChunk()
      if (chunk === null || chunk.rowCount === 0) break
      // Rows past the table's are only counted, never converted.
      if (rows.length < maxRows) {
        const converted = chunk.convertRows(JsonDuckDBValueConverter) as Json[][]
        for (const row of converted.slice(0, maxRows - rows.length)) rows.push(row.map(tableCell))
      }
      total += chunk.rowCount
    }
    const align = types.map((type) => (NUMERIC.test(type) ? ('right' as const) : ('left' as const)))
    const shown = rows.length
    const count =
      total > shown
        ? `(${total.toLocaleString('en-US')} rows; the first ${shown.toLocaleString('en-US')} shown — and ${(
            total - shown
          ).toLocaleString('en-US')} more: add LIMIT, or use --csv or --json for every row)`
        : `(${total} row${total === 1 ? '' : 's'})`
    out([...formatTable(columns, rows, { align }), count].join('\n'))
    return
  }
  if (format === 'csv') {
    out(`${columns.map((column) => csvField(terminalText(column, { keepLineBreaks: true }))).join(',')}\r`)
    for await (const chunk of chunks(result, false)) {
      if (chunk.rows.length === 0) continue
      out(`${chunk.rows.map((row) => row.map((cell) => csvField(csvText(cell))).join(',')).join('\r\n')}\r`)
    }
    return
  }
  // Each block is printed once the next is known, so that the comma between two blocks ends a line.
  let pending: string | undefined
  for await (const chunk of chunks(result, true)) {
    if (chunk.rows.length === 0) continue
    const objects = chunk.rows.map((row, rowIndex) =>
      terminalJson(
        indent(
          JSON.stringify(
            Object.fromEntries(
              columns.map((column, columnIndex) => [
                column,
                jsonCell(chunk.values[rowIndex]?.[columnIndex], row[columnIndex] ?? null),
              ]),
            ),
            null,
            2,
          ),
        ),
      ),
    )
    out(pending === undefined ? '[' : `${pending},`)
    pending = objects.join(',\n')
  }
  if (pending === undefined) out('[]')
  else out(`${pending}\n]`)
}

/** The chunks of a result: JSON-safe values, and JavaScript values when `withValues`. */
async function* chunks(
  result: DuckDBResult,
  withValues: boolean,
): AsyncGenerator<{ rows: Json[][]; values: unknown[][] }> {
  while (true) {
    const chunk = await result.fetchChunk()
    if (chunk === null || chunk.rowCount === 0) return
    yield {
      rows: chunk.convertRows(JsonDuckDBValueConverter) as Json[][],
      values: withValues ? (chunk.convertRows(JSDuckDBValueConverter) as unknown[][]) : [],
    }
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n')
}

function tableCell(cell: Json): string {
  if (cell === null) return 'NULL'
  if (typeof cell === 'string') return cell
  if (typeof cell === 'object') return JSON.stringify(cell)
  return String(cell)
}

function csvText(cell: Json): string {
  if (cell === null) return ''
  const text = typeof cell === 'object' ? JSON.stringify(cell) : String(cell)
  return terminalText(text, { keepLineBreaks: true })
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
