/**
 * Inputs and outputs of given spans, cut to a preview in SQL. Read in three steps so a page seldom scans the
 * stored values themselves: the spans' `task_io` rows, then the row numbers of their objects (reading only
 * run ids and hashes), then the values of those rows by row number (see `rows-by-number.ts`).
 */
import type { TaskValuesView } from '../../report/report-model.js'
import { groupTaskValues, type ValueRow, valueSource } from '../../report/stored-values.js'
import { textView } from '../../report/text-view.js'
import type { UiDatabase } from './database-lease.js'
import { rowsByNumber, sqlStringList } from './rows-by-number.js'

/** A span named by its run and id. */
export interface SpanRef {
  readonly runId: string
  readonly spanId: string
}

/** The map key of a span. */
export function spanKey(ref: SpanRef): string {
  return `${ref.runId}\u0000${ref.spanId}`
}

/** How much of each span's values to read. */
export interface ValueLimits {
  /** Characters of each value (or per span). */
  readonly chars: number | ((ref: SpanRef) => number)
  /** Inputs (and, separately, outputs) per span. */
  readonly perSpan: number
}

interface IoRow {
  run_id: string
  span_id: string
  direction: string
  name: string
  hash: string
  total: bigint | number
}

/** A stored object read for display, by its row number. */
type ObjectRow = Omit<ValueRow, 'span_id' | 'direction' | 'name' | 'total'> & { row: bigint | number }

/** The values of the given spans, keyed by {@link spanKey}; spans without values are absent. */
export async function loadSpanValues(
  db: UiDatabase,
  refs: readonly SpanRef[],
  limits: ValueLimits,
): Promise<Map<string, TaskValuesView>> {
  if (refs.length === 0) return new Map()
  const wanted = new Set(refs.map(spanKey))
  const io = (
    await db.database.query<IoRow>(
      `SELECT run_id, span_id, direction, name, hash,
         count(*) OVER (PARTITION BY run_id, span_id, direction) AS total
       FROM task_io
       WHERE run_id IN (${sqlStringList(refs.map((ref) => ref.runId))})
         AND span_id IN (${sqlStringList(refs.map((ref) => ref.spanId))})
       QUALIFY row_number() OVER (PARTITION BY run_id, span_id, direction ORDER BY name, hash)
         <= ${Math.floor(limits.perSpan)}
       ORDER BY run_id, span_id, direction, name, hash`,
    )
  ).filter((row) => wanted.has(spanKey({ runId: row.run_id, spanId: row.span_id })))
  if (io.length === 0) return new Map()
  const charsOf = typeof limits.chars === 'number' ? () => limits.chars as number : limits.chars
  const objects = await loadObjects(db, io, (row) => charsOf({ runId: row.run_id, spanId: row.span_id }))
  return groupTaskValues(
    io,
    (row) => spanKey({ runId: row.run_id, spanId: row.span_id }),
    (row) => {
      const object = objects.get(objectKey(row, charsOf({ runId: row.run_id, spanId: row.span_id })))
      return {
        name: row.name,
        value: textView(
          valueSource({
            span_id: row.span_id,
            direction: row.direction,
            name: row.name,
            total: row.total,
            size_bytes: object?.size_bytes ?? null,
            truncated: object?.truncated ?? null,
            value_type: object?.value_type ?? null,
            preview: object?.preview ?? null,
            text: object?.text ?? null,
            text_length: object?.text_length ?? null,
          } satisfies ValueRow),
        ),
      }
    },
  )
}

function objectKey(row: { run_id: string; hash: string }, chars: number): string {
  return `${row.run_id}\u0000${row.hash}\u0000${chars}`
}

/** The objects the `task_io` rows name, each cut to its span's characters, keyed by {@link objectKey}. */
async function loadObjects(
  db: UiDatabase,
  io: readonly IoRow[],
  charsOf: (row: IoRow) => number,
): Promise<Map<string, ObjectRow>> {
  const runs = io.map((row) => row.run_id)
  const hashes = io.map((row) => row.hash)
  const located = await db.database.query<{ row: bigint | number; run_id: string; hash: string }>(
    `SELECT rowid AS row, run_id, hash FROM objects
     WHERE run_id IN (${sqlStringList(runs)}) AND hash IN (${sqlStringList(hashes)})`,
  )
  const result = new Map<string, ObjectRow>()
  if (located.length === 0) return result
  const rowOf = new Map(located.map((entry) => [`${entry.run_id}\u0000${entry.hash}`, entry.row]))
  const byChars = new Map<number, IoRow[]>()
  for (const row of io) {
    const chars = Math.floor(charsOf(row))
    byChars.set(chars, [...(byChars.get(chars) ?? []), row])
  }
  for (const [chars, rows] of byChars) {
    const numbers = rows.flatMap((row) => {
      const number = rowOf.get(`${row.run_id}\u0000${row.hash}`)
      return number === undefined ? [] : [number]
    })
    const values = await rowsByNumber<ObjectRow & { run_id: string; hash: string }>(
      db,
      'objects',
      `rowid AS row, run_id, hash, size_bytes, truncated, ${valueColumns(chars)}`,
      numbers,
      `run_id IN (${sqlStringList(rows.map((row) => row.run_id))})
       AND hash IN (${sqlStringList(rows.map((row) => row.hash))})`,
    )
    for (const value of values) {
      const key = objectKey(value, chars)
      if (!result.has(key)) result.set(key, value)
    }
  }
  return result
}

/**
 * The columns reading a stored value for display, cut to `chars` characters: its JSON type, whether it is a
 * recorded preview of a larger value, its text (a string's characters; other JSON as text) and full length.
 * A value that is not valid JSON (a damaged or crafted file) is shown as its raw text.
 */
function valueColumns(chars: number): string {
  const text = `CASE WHEN NOT json_valid(value) THEN value::VARCHAR
      WHEN json_exists(value, '/$truncated/preview') THEN value->>'/$truncated/preview'
      WHEN json_type(value) = 'VARCHAR' THEN value->>'$'
      ELSE value::VARCHAR END`
  return `CASE WHEN json_valid(value) THEN json_type(value) END AS value_type,
    CASE WHEN json_valid(value) THEN coalesce(json_exists(value, '/$truncated/preview'), false)
      ELSE false END AS preview,
    left(${text}, ${Math.floor(chars)}) AS text, length(${text}) AS text_length`
}
