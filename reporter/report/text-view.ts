/** Long text made safe to show: a bounded preview, collapsed when long, with a note on what was cut. */
import { formatBytes, formatNumber } from '../display-format.js'
import type { TextView } from './report-model.js'

/** Text longer than this many characters, or with more lines, is collapsed. */
const COLLAPSE_CHARS = 240
const COLLAPSE_LINES = 6
const SUMMARY_CHARS = 120

/** A piece of text as read from the database, already cut to `text` by SQL. */
export interface TextSource {
  /** The text shown (at most the limit the query cut it to). */
  readonly text: string
  /** Length in characters of the text before the query cut it. */
  readonly fullLength: number
  /** Size in bytes of the stored value, when it is one. */
  readonly sizeBytes?: number | undefined
  /** The stored value is a preview of a larger value (`{"$truncated":{…}}`). */
  readonly recordedPreview?: boolean
  /** The stored value was cut when recorded (depth, node or size limits). */
  readonly recordedTruncated?: boolean
}

/** Builds the view of a text: collapsed when long, with what was cut spelled out. */
export function textView(source: TextSource): TextView {
  const { text, fullLength } = source
  const cut = fullLength > text.length
  const note =
    source.recordedPreview === true && source.sizeBytes !== undefined
      ? `showing the first ${formatNumber(text.length)} characters ` +
        `of a ${formatBytes(source.sizeBytes)} value (truncated when recorded)`
      : [
          cut ? `showing ${formatNumber(text.length)} of ${formatNumber(fullLength)} characters` : '',
          cut && source.sizeBytes !== undefined ? `full size ${formatBytes(source.sizeBytes)}` : '',
          source.recordedTruncated === true
            ? 'parts of this value were cut when recorded (depth or size limits)'
            : '',
        ]
          .filter((part) => part !== '')
          .join(' · ')
  const lines = countLines(text, COLLAPSE_LINES + 1)
  const collapsed = cut || text.length > COLLAPSE_CHARS || lines > COLLAPSE_LINES
  return {
    text,
    collapsed,
    summary: summaryLine(text),
    note,
    cut: cut || source.recordedPreview === true || source.recordedTruncated === true,
  }
}

/** The first non-empty line of a text, cut to a short preview. */
export function summaryLine(text: string): string {
  const line =
    text
      .split('\n')
      .find((part) => part.trim() !== '')
      ?.trim() ?? ''
  if (line === '') return text === '' ? '(empty)' : '(blank)'
  return line.length > SUMMARY_CHARS ? `${line.slice(0, SUMMARY_CHARS)}…` : line
}

function countLines(text: string, stopAt: number): number {
  let lines = 1
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) {
    lines += 1
    if (lines >= stopAt) break
  }
  return lines
}
