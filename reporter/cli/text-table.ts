/** Aligned plain-text tables, as the CLI and the gate table print them. */

/** How a column is aligned. */
export type ColumnAlign = 'left' | 'right'

/** Formats rows under headers with columns padded to their widest cell; `indent` prefixes each line. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: { readonly align?: readonly ColumnAlign[]; readonly indent?: string } = {},
): string[] {
  const widths = headers.map((header, column) =>
    Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[column] ?? ''))),
  )
  const line = (cells: readonly string[]): string =>
    (options.indent ?? '') +
    cells
      .map((cell, column) => {
        const pad = ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(cell)))
        if (column === cells.length - 1 && options.align?.[column] !== 'right') return cell
        return options.align?.[column] === 'right' ? pad + cell : cell + pad
      })
      .join('  ')
      .trimEnd()
  return [line(headers), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)]
}

/** Width of a cell: code points, with line breaks shown as one character each (`⏎`). */
export function displayWidth(text: string): number {
  return [...text].length
}

/** A cell's text on one line: line breaks and tabs become visible symbols. */
export function oneLine(text: string): string {
  return text.replace(/\r?\n/g, '⏎').replace(/\t/g, ' ')
}
