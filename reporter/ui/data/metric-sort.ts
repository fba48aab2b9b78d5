/**
 * A page of spans sorted by a metric without averaging every span's points; two ways, by what is known of
 * the metric (see `metric-shape.ts`):
 * - one point per span (as scores have): the page is the metric's own points in the page's order (value,
 *   then run id, span id — DuckDB's top-N over the points alone, page marker included), checked against the
 *   list's filters on the spans; more points are taken when too few pass;
 * - otherwise: the best K points name candidate spans. Any other span has all its points at or below the
 *   K-th best, so its mean is too; candidates whose own mean (over all their points) is strictly better
 *   than the K-th point are therefore in their true order ahead of every other span, and those that pass
 *   the filters and come after the page marker make the page (ties at the K-th point need a larger K).
 * The order is the general query's (mean, then run id, span id), so pages continue either way. Answers
 * `undefined` when neither applies (search or range filters, too many ties or too deep a page, spans
 * without the metric reached), and the general query runs.
 */
import type { DuckDBValue } from '@duckdb/node-api'
import type { UiDatabase } from './database-lease.js'
import { sqlStringList } from './rows-by-number.js'
import {
  scopeOf,
  sortMetric,
  spanConditions,
  type TaskCursor,
  type TaskFilter,
  type TaskSort,
} from './task-filter.js'

/** A row of a page: its row number in `spans` and the value sorted by. */
export interface KeyRow {
  row: bigint | number
  sort_value: number | bigint | string | null
}

/** Points taken at most as candidates; beyond, the general query runs. */
const MAX_CANDIDATES = 100_000

interface Candidate {
  readonly run_id: string
  readonly span_id: string
  readonly mean: number
}

/** The page sorted by a metric the fast way, or `undefined` when the general query must run. */
export async function metricSortedPage(
  db: UiDatabase,
  filter: TaskFilter,
  sort: TaskSort,
  after: TaskCursor | undefined,
  limit: number,
  onePoint: boolean,
): Promise<KeyRow[] | undefined> {
  const name = sortMetric(sort.key)
  if (name === undefined || filter.search !== undefined || filter.metric !== undefined) return undefined
  if (after !== undefined && (after.value === null || typeof after.value !== 'number')) return undefined
  return onePoint
    ? pointsInOrder(db, filter, sort, after, limit, name)
    : bestMeans(db, filter, sort, after, limit, name)
}

/** One point per span: the points themselves, in the page's order, after the page marker. */
async function pointsInOrder(
  db: UiDatabase,
  filter: TaskFilter,
  sort: TaskSort,
  after: TaskCursor | undefined,
  limit: number,
  name: string,
): Promise<KeyRow[] | undefined> {
  const scope = scopeOf(filter)
  const keyset: DuckDBValue[] = []
  let condition = ''
  if (after !== undefined) {
    condition = `AND (value ${sort.descending ? '<' : '>'} ? OR (value = ? AND (run_id > ? OR (run_id = ? AND span_id > ?))))`
    keyset.push(after.value as number, after.value as number, after.runId, after.runId, after.spanId)
  }
  for (let take = (limit + 1) * 4; take <= MAX_CANDIDATES; take *= 8) {
    const points = await db.database.query<Candidate>(
      `SELECT run_id, span_id, value AS mean FROM metrics
       WHERE run_id IN (${scope.sql}) AND name = ? AND value IS NOT NULL ${condition}
       ORDER BY value ${sort.descending ? 'DESC' : 'ASC'}, run_id, span_id LIMIT ${take}`,
      [...scope.params, name, ...keyset],
    )
    const passed = await passing(db, filter, points)
    const rows: KeyRow[] = []
    for (const point of points) {
      const row = passed.get(`${point.run_id}\u0000${point.span_id}`)
      if (row === undefined) continue
      rows.push({ row, sort_value: point.mean })
      if (rows.length > limit) return rows
    }
    // Every point was taken and the page is not full: spans without the metric come next (general query).
    if (points.length < take) return undefined
  }
  return undefined
}

/** Several points per span may be: candidates from the best points, placed by their means. */
async function bestMeans(
  db: UiDatabase,
  filter: TaskFilter,
  sort: TaskSort,
  after: TaskCursor | undefined,
  limit: number,
  name: string,
): Promise<KeyRow[] | undefined> {
  const scope = scopeOf(filter)
  const better = (a: number, b: number) => (sort.descending ? a > b : a < b)
  // Two rounds at most: many ties at the K-th point (scores of a few distinct values) make this no faster.
  for (let take = (limit + 1) * 8, round = 0; round < 2 && take <= MAX_CANDIDATES; take *= 8, round++) {
    const points = await db.database.query<{ run_id: string; span_id: string; value: number }>(
      `SELECT run_id, span_id, value FROM metrics
       WHERE run_id IN (${scope.sql}) AND name = ? AND value IS NOT NULL
       ORDER BY value ${sort.descending ? 'DESC' : 'ASC'} LIMIT ${take}`,
      [...scope.params, name],
    )
    if (points.length === 0) return undefined
    const all = points.length < take
    const bound = points[points.length - 1]?.value as number
    const candidates = (await means(db, points, name)).filter((entry) => all || better(entry.mean, bound))
    candidates.sort(
      (x, y) =>
        (sort.descending ? y.mean - x.mean : x.mean - y.mean) ||
        compareText(x.run_id, y.run_id) ||
        compareText(x.span_id, y.span_id),
    )
    const passed = await passing(db, filter, candidates)
    const rows: KeyRow[] = []
    for (const candidate of candidates) {
      if (after !== undefined && !isAfter(candidate, after, sort.descending)) continue
      const row = passed.get(`${candidate.run_id}\u0000${candidate.span_id}`)
      if (row === undefined) continue
      rows.push({ row, sort_value: candidate.mean })
      if (rows.length > limit) return rows
    }
    if (all) return undefined
  }
  return undefined
}

/** The mean of every point of the metric of each span named by `points`. */
async function means(
  db: UiDatabase,
  points: readonly { run_id: string; span_id: string }[],
  name: string,
): Promise<Candidate[]> {
  return db.database.query<Candidate>(
    `SELECT run_id, span_id, avg(value) AS mean FROM metrics
     WHERE run_id IN (${sqlStringList(points.map((point) => point.run_id))})
       AND span_id IN (${sqlStringList(points.map((point) => point.span_id))}) AND name = ? AND value IS NOT NULL
     GROUP BY run_id, span_id`,
    [name],
  )
}

/** The row numbers of the candidates that pass the list's filters on the spans themselves. */
async function passing(
  db: UiDatabase,
  filter: TaskFilter,
  candidates: readonly Candidate[],
): Promise<Map<string, bigint | number>> {
  if (candidates.length === 0) return new Map()
  const own = spanConditions(filter)
  const rows = await db.database.query<{ row: bigint | number; run_id: string; span_id: string }>(
    `SELECT s.rowid AS row, s.run_id, s.span_id FROM spans s
     WHERE s.run_id IN (${sqlStringList(candidates.map((entry) => entry.run_id))})
       AND s.span_id IN (${sqlStringList(candidates.map((entry) => entry.span_id))})
       ${own.where.map((condition) => `AND ${condition}`).join(' ')}`,
    own.params as DuckDBValue[],
  )
  return new Map(rows.map((entry) => [`${entry.run_id}\u0000${entry.span_id}`, entry.row]))
}

/** Whether a candidate comes after the page marker in the order (mean, run id, span id). */
function isAfter(candidate: Candidate, after: TaskCursor, descending: boolean): boolean {
  const value = after.value as number
  if (candidate.mean !== value) return descending ? candidate.mean < value : candidate.mean > value
  const run = compareText(candidate.run_id, after.runId)
  return run > 0 || (run === 0 && compareText(candidate.span_id, after.spanId) > 0)
}

/** Text order as DuckDB sorts VARCHAR (by bytes). */
function compareText(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'))
}
