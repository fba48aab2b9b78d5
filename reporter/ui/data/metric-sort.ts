/**
 * A page of spans sorted by a metric without joining every span to every metric point: when each span has at
 * most one point of the metric (as scorers log), the page's candidates are the best points of the metric —
 * DuckDB's top-N over the metric's points alone — checked against the filters on the spans themselves; more
 * candidates are taken when too few pass. The order is the general query's (value, then run id, span id),
 * so keyset pages continue either way. Answers `undefined` when it does not apply (several points per span,
 * filters that need other tables, or the page reaching spans without the metric), and the general query runs.
 */
import type { DuckDBValue } from '@duckdb/node-api'
import type { UiDatabase } from './database-lease.js'
import { knownOnePointMetrics } from './metric-shape.js'
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

/** Candidates are not taken beyond this many points; the general query runs instead. */
const MAX_CANDIDATES = 200_000

/** The page sorted by a metric the fast way, or `undefined` when the general query must run. */
export async function metricSortedPage(
  db: UiDatabase,
  filter: TaskFilter,
  sort: TaskSort,
  after: TaskCursor | undefined,
  limit: number,
): Promise<KeyRow[] | undefined> {
  const name = sortMetric(sort.key)
  if (name === undefined || filter.search !== undefined || filter.metric !== undefined) return undefined
  if (after !== undefined && (after.value === null || typeof after.value !== 'number')) return undefined
  const scope = scopeOf(filter)
  if ((await knownOnePointMetrics(db, filter.sessionId))?.has(name) !== true) return undefined
  const direction = sort.descending ? 'DESC' : 'ASC'
  const keyset: string[] = []
  const keysetParams: DuckDBValue[] = []
  if (after !== undefined) {
    keyset.push(
      `AND (value ${sort.descending ? '<' : '>'} ? OR (value = ? AND (run_id > ? OR (run_id = ? AND span_id > ?))))`,
    )
    keysetParams.push(after.value as number, after.value as number, after.runId, after.runId, after.spanId)
  }
  const own = spanConditions(filter)
  for (let take = (limit + 1) * 8; take <= MAX_CANDIDATES; take *= 8) {
    const candidates = await db.database.query<{ run_id: string; span_id: string; value: number }>(
      `SELECT run_id, span_id, value FROM metrics
       WHERE run_id IN (${scope.sql}) AND name = ? AND value IS NOT NULL ${keyset.join(' ')}
       ORDER BY value ${direction}, run_id, span_id LIMIT ${take}`,
      [...scope.params, name, ...keysetParams],
    )
    if (candidates.length === 0) return undefined
    const passed = await db.database.query<{ row: bigint | number; run_id: string; span_id: string }>(
      `SELECT s.rowid AS row, s.run_id, s.span_id FROM spans s
       WHERE s.run_id IN (${sqlStringList(candidates.map((entry) => entry.run_id))})
         AND s.span_id IN (${sqlStringList(candidates.map((entry) => entry.span_id))})
         ${own.where.map((condition) => `AND ${condition}`).join(' ')}`,
      own.params,
    )
    const rowOf = new Map(passed.map((entry) => [`${entry.run_id}\u0000${entry.span_id}`, entry.row]))
    const rows: KeyRow[] = []
    for (const candidate of candidates) {
      const row = rowOf.get(`${candidate.run_id}\u0000${candidate.span_id}`)
      if (row === undefined) continue
      rows.push({ row, sort_value: candidate.value })
      if (rows.length > limit) return rows
    }
    // Every point was taken and the page is not full: spans without the metric come next (general query).
    if (candidates.length < take) return undefined
  }
  return undefined
}

/** The metrics a filter and sort use of which every span is known to have one point at most (see `QueryHints`). */
export async function onePointMetrics(
  db: UiDatabase,
  filter: TaskFilter,
  sort: TaskSort,
): Promise<Set<string>> {
  const names = [filter.metric?.name, sortMetric(sort.key)].filter(
    (name): name is string => name !== undefined,
  )
  if (names.length === 0) return new Set()
  const known = await knownOnePointMetrics(db, filter.sessionId)
  return new Set(names.filter((name) => known?.has(name) === true))
}
