/**
 * Inputs and outputs of tasks as the report shows them: read from `task_io` and `objects`, cut in SQL
 * to a bounded preview (a stored value can be megabytes), decoded for display.
 */

import { leftOut } from '../display-format.js'
import type { Database } from '../store/database.js'
import { cutString, REPORT_BUDGET } from './report-budget.js'
import type { NamedValueView, TaskValuesView } from './report-model.js'
import { REPORT_LIMITS } from './report-options.js'
import { type TextSource, textView } from './text-view.js'

/** A stored value as read for display (its text already cut in SQL). */
export interface ValueRow {
  span_id: string
  direction: string
  name: string
  total: bigint | number
  size_bytes: bigint | number | null
  truncated: boolean | null
  value_type: string | null
  preview: boolean | null
  text: string | null
  text_length: bigint | number | null
}

/** No inputs and no outputs. */
export const NO_VALUES: TaskValuesView = { inputs: [], outputs: [], moreInputs: '', moreOutputs: '' }

/** Span ids wanted, by run id. */
export type SpansByRun = ReadonlyMap<string, readonly string[]>

/**
 * Loads the inputs and outputs of the given spans of several runs in one query (at most
 * {@link REPORT_LIMITS}.maxValuesPerTask of each per span), each value cut to `chars` characters: by run id,
 * then span id. Spans without any are absent from the maps.
 */
export async function loadTaskValues(
  database: Database,
  spans: SpansByRun,
  chars: number,
): Promise<Map<string, Map<string, TaskValuesView>>> {
  const result = new Map<string, Map<string, TaskValuesView>>()
  const wanted = spanPairs(spans)
  if (wanted.params.length === 0) return result
  const limit = Math.floor(chars)
  const rows = await database.query<ValueRow & { run_id: string }>(
    `WITH wanted(run_id, span_id) AS (VALUES ${wanted.values}),
     io AS (
       SELECT io.run_id, io.span_id, io.direction, io.name, io.hash,
         count(*) OVER (PARTITION BY io.run_id, io.span_id, io.direction) AS total
       FROM task_io io SEMI JOIN wanted w ON w.run_id = io.run_id AND w.span_id = io.span_id
       WHERE io.run_id IN (${wanted.runs})
       QUALIFY row_number() OVER (PARTITION BY io.run_id, io.span_id, io.direction ORDER BY io.name, io.hash)
         <= ${REPORT_LIMITS.maxValuesPerTask}
     ),
     v AS (
       SELECT io.*, o.size_bytes, o.truncated,
         json_type(o.value) AS value_type,
         coalesce(json_exists(o.value, '/$truncated/preview'), false) AS preview,
         CASE WHEN json_exists(o.value, '/$truncated/preview') THEN o.value->>'/$truncated/preview'
              WHEN json_type(o.value) = 'VARCHAR' THEN o.value->>'$'
              ELSE o.value::VARCHAR END AS full_text
       FROM io LEFT JOIN objects o ON o.run_id = io.run_id AND o.hash = io.hash
         AND o.run_id IN (${wanted.runs})
     )
     SELECT run_id, span_id, direction, name, total, size_bytes, truncated, value_type, preview,
       left(full_text, ${limit}) AS text, length(full_text) AS text_length
     FROM v ORDER BY run_id, span_id, direction, name`,
    [...wanted.params, ...wanted.runIds, ...wanted.runIds],
  )
  const byRun = new Map<string, (ValueRow & { run_id: string })[]>()
  for (const row of rows) {
    const list = byRun.get(row.run_id) ?? []
    list.push(row)
    byRun.set(row.run_id, list)
  }
  for (const [runId, runRows] of byRun) {
    result.set(
      runId,
      groupTaskValues(
        runRows,
        (row) => row.span_id,
        (row) => ({
          name: cutString(row.name ?? '—', REPORT_BUDGET.nameChars),
          value: textView(valueSource(row)),
        }),
      ),
    )
  }
  return result
}

/**
 * The (run id, span id) pairs of `spans` as SQL `VALUES` rows with their parameters, and the run ids as
 * an `IN` list (so each table's scan is narrowed to those runs before the join).
 */
export function spanPairs(spans: SpansByRun): {
  values: string
  params: string[]
  runs: string
  runIds: string[]
} {
  const params: string[] = []
  const runIds: string[] = []
  for (const [runId, spanIds] of spans) {
    if (spanIds.length === 0) continue
    runIds.push(runId)
    for (const spanId of spanIds) params.push(runId, spanId)
  }
  return {
    values: Array.from({ length: params.length / 2 }, () => '(?::VARCHAR, ?::VARCHAR)').join(', '),
    params,
    runs: runIds.map(() => '?').join(', '),
    runIds,
  }
}

/**
 * Groups value rows (in display order) into each span's inputs and outputs, under `keyOf`, with what was
 * left out past each direction's `total`.
 */
export function groupTaskValues<Row extends { readonly direction: string; readonly total: bigint | number }>(
  rows: readonly Row[],
  keyOf: (row: Row) => string,
  viewOf: (row: Row) => NamedValueView,
): Map<string, TaskValuesView> {
  const bySpan = new Map<
    string,
    { inputs: NamedValueView[]; outputs: NamedValueView[]; ins: number; outs: number }
  >()
  for (const row of rows) {
    const key = keyOf(row)
    let entry = bySpan.get(key)
    if (entry === undefined) {
      entry = { inputs: [], outputs: [], ins: 0, outs: 0 }
      bySpan.set(key, entry)
    }
    if (row.direction === 'input') {
      entry.inputs.push(viewOf(row))
      entry.ins = Number(row.total)
    } else {
      entry.outputs.push(viewOf(row))
      entry.outs = Number(row.total)
    }
  }
  const result = new Map<string, TaskValuesView>()
  for (const [key, entry] of bySpan) {
    result.set(key, {
      inputs: entry.inputs,
      outputs: entry.outputs,
      moreInputs: leftOut(entry.ins - entry.inputs.length, 'input'),
      moreOutputs: leftOut(entry.outs - entry.outputs.length, 'output'),
    })
  }
  return result
}

/**
 * How a stored value reads: strings as their text, other JSON pretty-printed when whole, previews decoded.
 */
export function valueSource(row: ValueRow): TextSource {
  if (row.text === null) return { text: '(value not stored)', fullLength: 18 }
  const sizeBytes = row.size_bytes === null ? undefined : Number(row.size_bytes)
  const fullLength = Number(row.text_length ?? row.text.length)
  const cut = fullLength > row.text.length
  if (row.preview === true) {
    return {
      text: decodeJsonHead(row.text),
      fullLength: cut ? fullLength : row.text.length,
      sizeBytes,
      recordedPreview: true,
    }
  }
  let text = row.text
  if (!cut && (row.value_type === 'OBJECT' || row.value_type === 'ARRAY')) {
    try {
      text = JSON.stringify(JSON.parse(row.text), null, 2)
    } catch {
      // shown as stored
    }
  }
  return {
    text,
    fullLength: cut ? fullLength : text.length,
    sizeBytes,
    recordedTruncated: row.truncated === true,
  }
}

/** The head of a JSON text: when it starts a string, the string's characters (as far as they decode). */
function decodeJsonHead(head: string): string {
  if (!head.startsWith('"')) return head
  // The head may end inside an escape sequence: drop up to 6 trailing characters until it decodes.
  for (let drop = 0; drop <= 6 && drop < head.length; drop++) {
    const candidate = head.slice(0, head.length - drop)
    try {
      return JSON.parse(
        candidate.endsWith('"') && candidate.length > 1 ? candidate : `${candidate}"`,
      ) as string
    } catch {
      // try a shorter head
    }
  }
  return head
}
