/**
 * Which spans a list shows and in what order: the filters (run, kind, label, status, tag, a metric's range,
 * text search) and the sort (start, duration, name, label, status or any metric), turned into DuckDB SQL
 * with bound parameters and keyset pagination — a page starts after the last row of the one before, so a
 * page deep into a million rows costs what the first does.
 */
import type { DuckDBValue } from '@duckdb/node-api'
import { searchClauses } from './search.js'

/** Kinds of span a list may show (`any`: all three). */
export const KINDS = ['task', 'span', 'test', 'any'] as const
export type KindFilter = (typeof KINDS)[number]

/** The filters of a list of spans. */
export interface TaskFilter {
  readonly sessionId: string
  readonly runId?: string | undefined
  /** Only the direct children of this span. */
  readonly parentId?: string | undefined
  readonly kind: KindFilter
  readonly label?: string | undefined
  readonly status?: 'ok' | 'error' | undefined
  readonly tag?: string | undefined
  /** Spans whose mean value of the task-level metric `name` is within `[min, max]`. */
  readonly metric?:
    | { readonly name: string; readonly min?: number | undefined; readonly max?: number | undefined }
    | undefined
  /** Text searched in inputs, outputs, errors and names (case-insensitive). */
  readonly search?: string | undefined
}

/** Built-in sort keys; a metric sorts as `metric:<name>`. */
export const SORT_KEYS = ['started', 'duration', 'name', 'label', 'status'] as const
export type SortKey = (typeof SORT_KEYS)[number] | `metric:${string}`

/** The order of a list. */
export interface TaskSort {
  readonly key: SortKey
  readonly descending: boolean
}

/** Where a page starts: after the row with this sort value, run id and span id. */
export interface TaskCursor {
  readonly value: number | string | null
  readonly runId: string
  readonly spanId: string
  /** The row number, for orders that break ties by it (all but metrics). */
  readonly row?: number | undefined
}

/** A statement and its parameters. */
export interface BoundSql {
  readonly sql: string
  readonly params: DuckDBValue[]
}

/** The sort key's metric name, if it sorts by a metric. */
export function sortMetric(key: SortKey): string | undefined {
  return key.startsWith('metric:') ? key.slice('metric:'.length) : undefined
}

/** The SQL expression a sort key orders by (over `s`, the spans, and `sm`, the sorted metric). */
function sortExpression(key: SortKey): string {
  if (sortMetric(key) !== undefined) return 'sm.v'
  switch (key) {
    case 'duration':
      return 's.duration_ms'
    case 'name':
      return 's.name'
    case 'label':
      return 's.label'
    case 'status':
      return 's.status'
    default:
      return 'epoch_us(s.started_at)'
  }
}

/** The filter's conditions on the spans' own columns (kind, parent, label, status, tag), over `s`. */
export function spanConditions(filter: TaskFilter): { where: string[]; params: DuckDBValue[] } {
  const where: string[] = []
  const params: DuckDBValue[] = []
  if (filter.kind !== 'any') {
    where.push('s.kind = ?')
    params.push(filter.kind)
  }
  if (filter.parentId !== undefined) {
    where.push('s.parent_id = ?')
    params.push(filter.parentId)
  }
  if (filter.label !== undefined) {
    where.push('s.label = ?')
    params.push(filter.label)
  }
  if (filter.status !== undefined) {
    where.push('s.status = ?')
    params.push(filter.status)
  }
  if (filter.tag !== undefined) {
    where.push('list_contains(s.tags, ?)')
    params.push(filter.tag)
  }
  return { where, params }
}

/** SQL selecting the run ids a filter covers, and its parameters. */
export function scopeOf(filter: TaskFilter): { sql: string; params: DuckDBValue[] } {
  return filter.runId === undefined
    ? { sql: 'SELECT run_id FROM runs WHERE session_id = ?', params: [filter.sessionId] }
    : {
        sql: 'SELECT run_id FROM runs WHERE session_id = ? AND run_id = ?',
        params: [filter.sessionId, filter.runId],
      }
}

/** The CTEs (`WITH …`) and the `FROM … WHERE …` of a filtered list, shared by the page and its count. */
interface FilteredSpans {
  readonly withClause: string
  readonly fromClause: string
  /** Parameters of both, in the order they appear. */
  readonly params: DuckDBValue[]
}

/** What the caller knows of the data that allows simpler SQL. */
export interface QueryHints {
  /** Metrics of which every span has at most one point (no averaging needed). */
  readonly onePoint?: ReadonlySet<string>
}

function filteredSpans(filter: TaskFilter, sort: TaskSort | undefined, hints: QueryHints): FilteredSpans {
  const scope = scopeOf(filter)
  const params: DuckDBValue[] = [...scope.params]
  const ctes = [`scope AS (${scope.sql})`]
  const joins: string[] = []
  const where: string[] = ['s.run_id IN (SELECT run_id FROM scope)']
  const metric = filter.metric
  if (metric !== undefined) {
    const single = hints.onePoint?.has(metric.name) === true
    const measure = single ? 'value' : 'avg(value)'
    const bounds: string[] = []
    if (metric.min !== undefined) bounds.push(`${measure} >= ?`)
    if (metric.max !== undefined) bounds.push(`${measure} <= ?`)
    // With one point per span the range is a plain filter on the points; else on each span's mean.
    ctes.push(
      single
        ? `in_range AS (
      SELECT run_id, span_id FROM metrics WHERE run_id IN (SELECT run_id FROM scope) AND name = ?
      ${bounds.map((bound) => `AND ${bound}`).join(' ')})`
        : `in_range AS (
      SELECT run_id, span_id FROM metrics WHERE run_id IN (SELECT run_id FROM scope) AND name = ?
      GROUP BY run_id, span_id${bounds.length === 0 ? '' : ` HAVING ${bounds.join(' AND ')}`})`,
    )
    params.push(metric.name)
    if (metric.min !== undefined) params.push(metric.min)
    if (metric.max !== undefined) params.push(metric.max)
    joins.push('JOIN in_range mr ON mr.run_id = s.run_id AND mr.span_id = s.span_id')
  }
  const sorted = sort === undefined ? undefined : sortMetric(sort.key)
  if (sorted !== undefined) {
    ctes.push(
      hints.onePoint?.has(sorted) === true
        ? `sm AS (
      SELECT run_id, span_id, value AS v FROM metrics WHERE run_id IN (SELECT run_id FROM scope) AND name = ?)`
        : `sm AS (
      SELECT run_id, span_id, avg(value) AS v FROM metrics WHERE run_id IN (SELECT run_id FROM scope) AND name = ?
      GROUP BY run_id, span_id)`,
    )
    params.push(sorted)
    joins.push('LEFT JOIN sm ON sm.run_id = s.run_id AND sm.span_id = s.span_id')
  }
  if (filter.search !== undefined) {
    // The matching spans were found before (see `prepareSearch`): only the join and the text conditions here.
    const search = searchClauses(filter.search)
    joins.push(search.join)
    where.push(search.where)
    params.push(...search.params)
  }
  const own = spanConditions(filter)
  where.push(...own.where)
  params.push(...own.params)
  // Parameters are bound in the order they appear: the CTEs' first, then the joins' (none), then WHERE's.
  return {
    withClause: `WITH ${ctes.join(',\n')}`,
    fromClause: `FROM spans s ${joins.join(' ')} WHERE ${where.join(' AND ')}`,
    params,
  }
}

/**
 * The statement finding one page (`limit` + 1 rows, to know whether another page follows): row numbers, ids
 * and sort values only — the rows' other columns are read afterwards for these rows alone.
 */
export function pageQuery(
  filter: TaskFilter,
  sort: TaskSort,
  after: TaskCursor | undefined,
  limit: number,
  hints: QueryHints = {},
): BoundSql {
  const base = filteredSpans(filter, sort, hints)
  const expression = sortExpression(sort.key)
  const params = [...base.params]
  // Ties are broken by row number (no text to read for every row), except for metrics, whose order must
  // match that of the metric's own points (see `metric-sort.ts`): by run id and span id.
  const byIds = sortMetric(sort.key) !== undefined
  let keyset = ''
  if (after !== undefined) {
    const tie = byIds ? '(s.run_id > ? OR (s.run_id = ? AND s.span_id > ?))' : 's.rowid > ?'
    const tieParams: DuckDBValue[] = byIds ? [after.runId, after.runId, after.spanId] : [after.row ?? -1]
    if (after.value === null) {
      keyset = ` AND (${expression} IS NULL AND ${tie})`
      params.push(...tieParams)
    } else {
      keyset = ` AND (${expression} ${sort.descending ? '<' : '>'} ? OR (${expression} = ? AND ${tie}) OR ${expression} IS NULL)`
      params.push(after.value, after.value, ...tieParams)
    }
  }
  return {
    sql: `${base.withClause}
      SELECT s.rowid AS row${byIds ? ', s.run_id, s.span_id' : ''}, ${expression} AS sort_value
      ${base.fromClause}${keyset}
      ORDER BY sort_value ${sort.descending ? 'DESC' : 'ASC'} NULLS LAST, ${byIds ? 's.run_id, s.span_id' : 's.rowid'}
      LIMIT ${Math.floor(limit) + 1}`,
    params,
  }
}

/** The statement counting every row of the list. */
export function countQuery(filter: TaskFilter, hints: QueryHints = {}): BoundSql {
  const base = filteredSpans(filter, undefined, hints)
  return { sql: `${base.withClause} SELECT count(*) AS n ${base.fromClause}`, params: base.params }
}

/** A stable text naming the filter (for memoised counts). */
export function filterKey(filter: TaskFilter): string {
  return JSON.stringify([
    filter.sessionId,
    filter.runId ?? null,
    filter.parentId ?? null,
    filter.kind,
    filter.label ?? null,
    filter.status ?? null,
    filter.tag ?? null,
    filter.metric ?? null,
    filter.search ?? null,
  ])
}
