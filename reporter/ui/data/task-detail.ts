/**
 * One span (a task, a `taskSpan`, a model call or a test) as its page shows it: its row with its run and
 * session, its error and stack, and its attributes (long text cut in SQL; what was cut is said); and the
 * chain of spans it ran in, when its trace did not give it (see `span-tree.ts`).
 */
import { NotFoundError } from '../server/http-errors.js'
import type { UiDatabase } from './database-lease.js'

/** Characters of an error, a stack trace or the attributes shown. */
const TEXT_CHARS = 20_000

/** A span of the chain a span ran in. */
export interface AncestorSpan {
  readonly spanId: string
  readonly kind: string
  readonly name: string
}

/** A text cut to a bound, with its full length. */
export interface CutText {
  readonly text: string
  readonly length: number
}

/** Everything the span's page shows about the span itself. */
export interface SpanDetail {
  readonly runId: string
  readonly spanId: string
  readonly traceId: string | null
  readonly parentId: string | null
  readonly kind: string
  readonly name: string
  readonly label: string
  readonly tags: readonly string[]
  readonly status: string | null
  readonly error: CutText | undefined
  readonly stack: CutText | undefined
  readonly startedAt: Date | null
  readonly durationMs: number | null
  /** Attributes as stored (JSON text, cut). */
  readonly attributes: CutText | undefined
  readonly inputKey: string | null
  readonly trial: number | null
  readonly run: { readonly name: string; readonly sessionId: string; readonly project: string | null }
}

interface SpanRow {
  span_id: string
  trace_id: string | null
  parent_id: string | null
  kind: string | null
  name: string | null
  label: string | null
  tags: string[] | null
  status: string | null
  error: string | null
  error_length: bigint | number | null
  stack: string | null
  stack_length: bigint | number | null
  started_at: Date | null
  duration_ms: number | null
  attributes: string | null
  attributes_length: bigint | number | null
  input_key: string | null
  trial: number | null
  run_name: string
  session_id: string
  project: string | null
}

/** Reads a span; throws {@link NotFoundError} when the run or the span is unknown. */
export async function loadSpanDetail(db: UiDatabase, runId: string, spanId: string): Promise<SpanDetail> {
  const extra = db.features.inputKey ? 's.input_key, s.trial' : 'NULL AS input_key, NULL AS trial'
  const [row] = await db.database.query<SpanRow>(
    `WITH a AS (SELECT s.*, s.attributes::VARCHAR AS attributes_text,
         CASE WHEN json_valid(s.attributes) THEN json_extract_string(s.attributes, '$."exception.stacktrace"') END AS stack_text
       FROM spans s WHERE s.run_id = ? AND s.span_id = ? LIMIT 1)
     SELECT s.span_id, s.trace_id, s.parent_id, s.kind, s.name, s.label, s.tags, s.status,
       left(s.error, ${TEXT_CHARS}) AS error, length(s.error) AS error_length,
       left(s.stack_text, ${TEXT_CHARS}) AS stack, length(s.stack_text) AS stack_length,
       s.started_at, s.duration_ms, left(s.attributes_text, ${TEXT_CHARS}) AS attributes,
       length(s.attributes_text) AS attributes_length, ${extra},
       r.name AS run_name, r.session_id, r.project
     FROM a s JOIN runs r ON r.run_id = s.run_id`,
    [runId, spanId],
  )
  if (row === undefined) {
    const runs = await db.database.query('SELECT 1 FROM runs WHERE run_id = ?', [runId])
    throw new NotFoundError(
      runs.length === 0
        ? `No run "${runId.slice(0, 80)}" in this database.`
        : `No span "${spanId.slice(0, 80)}" in run "${runId.slice(0, 80)}".`,
    )
  }
  const cut = (text: string | null, length: bigint | number | null): CutText | undefined =>
    text === null ? undefined : { text, length: Number(length ?? text.length) }
  return {
    runId,
    spanId: row.span_id,
    traceId: row.trace_id,
    parentId: row.parent_id,
    kind: row.kind ?? 'span',
    name: row.name ?? '',
    label: row.label ?? '',
    tags: row.tags ?? [],
    status: row.status,
    error: cut(row.error, row.error_length),
    stack: cut(row.stack, row.stack_length),
    startedAt: row.started_at,
    durationMs: row.duration_ms,
    attributes:
      row.attributes === null || row.attributes === '{}'
        ? undefined
        : cut(row.attributes, row.attributes_length),
    inputKey: row.input_key,
    trial: row.trial === null ? null : Number(row.trial),
    run: { name: row.run_name, sessionId: row.session_id, project: row.project },
  }
}

/** The chain of spans `spanId` ran in, outermost first (a query per level, at most 32). */
export async function loadAncestors(db: UiDatabase, runId: string, spanId: string): Promise<AncestorSpan[]> {
  const rows = await db.database.query<{ span_id: string; kind: string | null; name: string | null }>(
    `WITH RECURSIVE up(span_id, depth) AS (
       SELECT parent_id, 1 FROM spans WHERE run_id = ? AND span_id = ? AND parent_id IS NOT NULL
       UNION ALL
       SELECT s.parent_id, up.depth + 1 FROM up JOIN spans s ON s.run_id = ? AND s.span_id = up.span_id
       WHERE s.parent_id IS NOT NULL AND up.depth < 32
     )
     SELECT s.span_id, any_value(s.kind) AS kind, any_value(s.name) AS name, max(up.depth) AS depth
     FROM up JOIN spans s ON s.run_id = ? AND s.span_id = up.span_id
     GROUP BY s.span_id ORDER BY depth DESC`,
    [runId, spanId, runId, runId],
  )
  return rows.map((entry) => ({ spanId: entry.span_id, kind: entry.kind ?? 'span', name: entry.name ?? '' }))
}
