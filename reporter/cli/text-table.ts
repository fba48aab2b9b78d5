/**
 * Aligned plain-text tables, as the CLI and the gate table print them. Every cell is made safe for a
 * terminal (control characters shown as escapes, line breaks as `⏎`) and cut to a width, and widths
 * are computed without spreading rows into arguments, so a table of any length prints.
 */
import { cutText, terminalText } from '../terminal-text.js'

/** How a column is aligned. */
export type ColumnAlign = 'left' | 'right'

/** How {@link formatTable} lays out a table. */
export interface TableOptions {
  readonly align?: readonly ColumnAlign[]
  /** Prefixes each line. */
  readonly indent?: string
  /** Longest cell printed in full (code points); longer ones are cut, saying their length. Default 200. */
  readonly maxCellChars?: number
}

/** Default longest cell of a table. */
export const MAX_CELL_CHARS = 200

/** A cell as printed: on one line, cut, control characters made visible. */
export function tableCellText(text: string, maxChars = MAX_CELL_CHARS): string {
  return terminalText(oneLine(cutText(text, maxChars)))
}

/** Formats rows under headers with columns padded to their widest cell; `indent` prefixes each line. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  const max = options.maxCellChars ?? MAX_CELL_CHARS
  const heads = headers.map((header) => tableCellText(header, max))
  const cells = rows.map((row) => row.map((cell) => tableCellText(cell, max)))
  const widths = heads.map((header) => displayWidth(header))
  for (const row of cells) {
    for (let column = 0; column < widths.length; column++) {
      const width = displayWidth(row[column] ?? '')
      if (width > (widths[column] ?? 0)) widths[column] = width
    }
  }
  const line = (values: readonly string[]): string =>
    (options.indent ?? '') +
    values
      .map((cell, column) => {
        const pad = ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(cell)))
        if (column === values.length - 1 && options.align?.[column] !== 'right') return cell
        return options.align?.[column] === 'right' ? pad + cell : cell + pad
      })
      .join('  ')
      .trimEnd()
  const lines = [line(heads), line(widths.map((width) => '─'.repeat(width)))]
  for (const row of cells) lines.push(line(row))
  return lines
}

/** Width of a cell: its code points. */
export function displayWidth(text: string): number {
  let width = 0
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0xdc00 || code > 0xdfff) width += 1
  }
  return width
}

/** A cell's text on one line: line breaks become `⏎` and tabs a space. */
export function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ')
}
