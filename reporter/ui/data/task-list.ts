/**
 * A page of a session's spans as the task table shows them: the filtered, sorted rows (keyset-paged; found
 * by row number and sort value, then read in full for those rows only), how many match in all (see
 * `task-counts.ts`), and each row's mean value of every metric — the page's metric columns are the metrics
 * its rows have, scores first; one-line previews of their first input and output, read on their own (the
 * page asks for them once its rows are shown); and what the filters can offer: the session's runs, labels,
 * tags and task-level metric names.
 */
import type { UiDatabase } from './database-lease.js'
import { onePointMetrics } from './metric-shape.js'
import { type KeyRow, metricSortedPage } from './metric-sort.js'
import { rowsByNumber, sqlStringList } from './rows-by-number.js'
import { prepareSearch } from './search.js'
import { sessionStore } from './session-list.js'
import { loadSpanValues, type SpanRef, spanKey } from './span-values.js'
import { countTasks, spanGroups } from './task-counts.js'
import {
  pageQuery,
  scopeOf,
  sortMetric,
  type TaskCursor,
  type TaskFilter,
  type TaskSort,
} from './task-filter.js'

/** One row of the table. */
export interface TaskRow {
  readonly runId: string
  readonly spanId: string
  readonly parentId: string | null
  readonly kind: string
  readonly name: string
  readonly label: string
  readonly status: string | null
  readonly durationMs: number | null
  readonly startedAt: Date | null
  readonly tags: readonly string[]
  readonly error: string | null
  readonly modelCall: boolean
  /** Mean value per metric name. */
  readonly metrics: ReadonlyMap<string, number>
}

/** A page of rows. */
export interface TaskPage {
  readonly rows: readonly TaskRow[]
  /** The metric columns of the page, in order. */
  readonly columns: readonly string[]
  readonly next: TaskCursor | undefined
  readonly total: number
}

/** What the filters of a session's lists can offer. */
export interface ListOptions {
  readonly runs: readonly { readonly id: string; readonly name: string }[]
  readonly labels: readonly string[]
  readonly tags: readonly string[]
  /** Task-level metric names, most used first. */
  readonly metrics: readonly string[]
}

interface SpanRow {
  row: bigint | number
  run_id: string
  span_id: string
  parent_id: string | null
  kind: string
  name: string | null
  label: string | null
  status: string | null
  duration_ms: number | null
  started_at: Date | null
  tags: string[] | null
  error: string | null
  model_call: boolean | null
}

const SPAN_COLUMNS = `rowid AS row, run_id, span_id, parent_id, kind, name, label, status, duration_ms, started_at, tags,
  left(error, 300) AS error,
  (CASE WHEN json_valid(attributes) THEN json_extract_string(attributes, '$."gen_ai.request.model"') END IS NOT NULL) AS model_call`

/** Preview length of the input and output cells. */
const PREVIEW_CHARS = 160

/** Reads a page of the list, with the mean value of each of its metric columns (at most `maxColumns`). */
export async function loadTaskPage(
  db: UiDatabase,
  filter: TaskFilter,
  sort: TaskSort,
  after: TaskCursor | undefined,
  limit: number,
  maxColumns: number,
): Promise<TaskPage> {
  if (filter.search !== undefined) {
    const scope = scopeOf(filter)
    await prepareSearch(db, scope.sql, scope.params, filter.search)
  }
  const hints = { onePoint: await onePointMetrics(db, filter, sort) }
  const page = pageQuery(filter, sort, after, limit, hints)
  const keys =
    (await metricSortedPage(
      db,
      filter,
      sort,
      after,
      limit,
      hints.onePoint.has(sortMetric(sort.key) ?? ''),
    )) ?? (await db.database.query<KeyRow>(page.sql, page.params))
  const shown = keys.slice(0, limit)
  const total = await countTasks(db, filter, hints)
  const numbers = shown.map((key) => BigInt(key.row))
  const spans = await rowsByNumber<SpanRow>(
    db,
    'spans',
    SPAN_COLUMNS,
    numbers,
    numbers.length === 0 ? 'false' : `rowid IN (${numbers.join(', ')})`,
  )
  const byRow = new Map(spans.map((span) => [BigInt(span.row), span]))
  const found = shown.flatMap((key) => {
    const row = byRow.get(BigInt(key.row))
    return row === undefined ? [] : [{ key, row }]
  })
  const refs = found.map(({ row }) => ({ runId: row.run_id, spanId: row.span_id }))
  const metrics = await loadMetricValues(db, refs, maxColumns, sortMetric(sort.key))
  const last = found[found.length - 1]
  return {
    total,
    columns: metrics.columns,
    next:
      keys.length > limit && last !== undefined
        ? {
            value: cursorValue(last.key.sort_value),
            runId: last.row.run_id,
            spanId: last.row.span_id,
            row: Number(last.key.row),
          }
        : undefined,
    rows: found.map(({ row }) => ({
      runId: row.run_id,
      spanId: row.span_id,
      parentId: row.parent_id,
      kind: row.kind ?? 'task',
      name: row.name ?? '',
      label: row.label ?? '',
      status: row.status,
      durationMs: row.duration_ms,
      startedAt: row.started_at,
      tags: row.tags ?? [],
      error: row.error,
      modelCall: row.model_call === true,
      metrics: metrics.values.get(spanKey({ runId: row.run_id, spanId: row.span_id })) ?? new Map(),
    })),
  }
}

/** One-line previews of the first input and output of each span, keyed by {@link spanKey}. */
export async function loadPreviews(
  db: UiDatabase,
  refs: readonly SpanRef[],
): Promise<Map<string, { input: string | undefined; output: string | undefined }>> {
  const values = await loadSpanValues(db, refs, { chars: PREVIEW_CHARS, perSpan: 1 })
  return new Map(
    [...values].map(([key, value]) => [
      key,
      { input: oneLine(value.inputs[0]?.value.text), output: oneLine(value.outputs[0]?.value.text) },
    ]),
  )
}

function cursorValue(value: number | bigint | string | null): number | string | null {
  if (typeof value === 'bigint') return Number(value)
  return value
}

/**
 * Mean value of every metric of each span, and the metric columns of the page: the names its rows have,
 * scores first, then the most common, at most `maxColumns`, and `always` (the metric sorted by) in any case.
 */
async function loadMetricValues(
  db: UiDatabase,
  refs: readonly { runId: string; spanId: string }[],
  maxColumns: number,
  always: string | undefined,
): Promise<{ values: Map<string, Map<string, number>>; columns: string[] }> {
  const values = new Map<string, Map<string, number>>()
  if (refs.length === 0 || maxColumns === 0) return { values, columns: always === undefined ? [] : [always] }
  const rows = await db.database.query<{
    run_id: string
    span_id: string
    name: string
    v: number
    scorer: boolean
  }>(
    `SELECT run_id, span_id, name, avg(value) AS v, bool_or(source = 'scorer') AS scorer FROM metrics
     WHERE run_id IN (${sqlStringList(refs.map((ref) => ref.runId))})
       AND span_id IN (${sqlStringList(refs.map((ref) => ref.spanId))})
     GROUP BY run_id, span_id, name`,
  )
  const seen = new Map<string, { count: number; scorer: boolean }>()
  for (const row of rows) {
    const key = spanKey({ runId: row.run_id, spanId: row.span_id })
    const map = values.get(key) ?? new Map<string, number>()
    map.set(row.name, row.v)
    values.set(key, map)
    const entry = seen.get(row.name) ?? { count: 0, scorer: false }
    seen.set(row.name, { count: entry.count + 1, scorer: entry.scorer || row.scorer })
  }
  const columns = [...seen]
    .sort(([a, x], [b, y]) => Number(y.scorer) - Number(x.scorer) || y.count - x.count || a.localeCompare(b))
    .map(([name]) => name)
    .slice(0, maxColumns)
  if (always !== undefined && !columns.includes(always)) columns.push(always)
  return { values, columns }
}

/** The task-level metric names of a session, scores first, then the most recorded (memoised). */
async function loadMetricNames(db: UiDatabase, sessionId: string): Promise<string[]> {
  const { store, key } = await sessionStore(db, sessionId)
  return store.get(`metric-names:${key}`, async () => {
    const rows = await db.database.query<{ name: string }>(
      `SELECT name FROM metrics WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
       GROUP BY name ORDER BY max(source = 'scorer') DESC, count(*) DESC, name LIMIT 100`,
      [sessionId],
    )
    return rows.map((row) => row.name)
  })
}

/** The runs, labels, tags and metric names of a session (memoised while the file is unchanged). */
export async function loadListOptions(db: UiDatabase, sessionId: string): Promise<ListOptions> {
  const { store, key } = await sessionStore(db, sessionId)
  return store.get(`list-options:${key}`, async () => {
    const runs = await db.database.query<{ run_id: string; name: string }>(
      'SELECT run_id, name FROM runs WHERE session_id = ? ORDER BY name, started_at, run_id LIMIT 500',
      [sessionId],
    )
    const scope = 'SELECT run_id FROM runs WHERE session_id = ?'
    // The labels come with the counts of the session's spans when those were read (one scan for both).
    const groups = await spanGroups(db, sessionId)
    const labels =
      groups === undefined
        ? (
            await db.database.query<{ label: string }>(
              `SELECT label FROM spans WHERE run_id IN (${scope}) AND label IS NOT NULL GROUP BY label ORDER BY label LIMIT 500`,
              [sessionId],
            )
          ).map((row) => row.label)
        : [...new Set(groups.flatMap((group) => (group.label === null ? [] : [group.label])))]
            .sort()
            .slice(0, 500)
    // Tags are read only when some span has one (the counts above say so).
    const tagged = groups === undefined || groups.some((group) => group.tagged === true)
    const tags = tagged
      ? (
          await db.database.query<{ tag: string }>(
            `SELECT DISTINCT unnest(tags) AS tag FROM spans WHERE run_id IN (${scope}) AND len(tags) > 0 ORDER BY tag LIMIT 200`,
            [sessionId],
          )
        ).map((row) => row.tag)
      : []
    const metrics = await loadMetricNames(db, sessionId)
    return {
      runs: runs.map((row) => ({ id: row.run_id, name: row.name })),
      labels,
      tags,
      metrics,
    }
  })
}

/** A value's text on one line (whitespace runs as one space), cut to the preview length. */
function oneLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > PREVIEW_CHARS ? `${line.slice(0, PREVIEW_CHARS)}…` : line
}
