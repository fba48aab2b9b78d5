/**
 * The state of a task list as its URL holds it — filters, sort, page marker, page size — read (refusing
 * malformed values with a clear message) and written back, so every view of the table is an address.
 * Parameters: `run parent kind label status tag metric min max q sort dir after limit`.
 */
import { MAX_SEARCH_CHARS } from '../data/search.js'
import {
  KINDS,
  type KindFilter,
  SORT_KEYS,
  type SortKey,
  type TaskCursor,
  type TaskFilter,
  type TaskSort,
} from '../data/task-filter.js'
import { BadRequestError } from '../server/http-errors.js'
import { choiceParam, intParam, numberParam, textParam } from '../server/page-context.js'
import type { Params } from './links.js'

/** A list's state. */
export interface TaskListState {
  readonly filter: TaskFilter
  readonly sort: TaskSort
  readonly after: TaskCursor | undefined
  readonly limit: number
  /** Where the current page starts in the whole list (1-based), as carried by the page links. */
  readonly from: number
  /** What the page fixes when the address says nothing (left out of the links it builds). */
  readonly defaults: { readonly kind: KindFilter; readonly status: 'ok' | 'error' | undefined }
}

/** Rows per page unless the URL says. */
export const DEFAULT_LIMIT = 50

/** Reads a list's state from its URL; `defaults` fill what the page fixes (the failures list: status error). */
export function readTaskListState(
  url: URL,
  sessionId: string,
  defaults: { readonly kind?: KindFilter; readonly status?: 'ok' | 'error' } = {},
): TaskListState {
  const metricName = textParam(url, 'metric')
  const min = numberParam(url, 'min')
  const max = numberParam(url, 'max')
  if ((min !== undefined || max !== undefined) && metricName === undefined) {
    throw new BadRequestError('a metric range (min, max) needs the metric it applies to ("metric")')
  }
  const search = textParam(url, 'q')
  const status = textParam(url, 'status') ?? defaults.status
  if (status !== undefined && status !== 'ok' && status !== 'error') {
    throw new BadRequestError(`"status" must be ok or error, not "${status.slice(0, 40)}"`)
  }
  const sortText = textParam(url, 'sort') ?? 'started'
  const sortKey = parseSortKey(sortText)
  const dir = choiceParam(
    url,
    'dir',
    ['asc', 'desc'],
    sortKey.startsWith('metric:') || sortKey === 'duration' ? 'desc' : 'asc',
  )
  return {
    filter: {
      sessionId,
      runId: textParam(url, 'run'),
      parentId: textParam(url, 'parent'),
      kind: choiceParam(url, 'kind', KINDS, defaults.kind ?? 'task'),
      label: textParam(url, 'label'),
      status,
      tag: textParam(url, 'tag'),
      metric: metricName === undefined ? undefined : { name: metricName, min, max },
      search: search?.slice(0, MAX_SEARCH_CHARS),
    },
    sort: { key: sortKey, descending: dir === 'desc' },
    after: parseCursor(url.searchParams.get('after')),
    limit: intParam(url, 'limit', DEFAULT_LIMIT, 1, 500),
    from: intParam(url, 'from', 1, 1, Number.MAX_SAFE_INTEGER),
    defaults: { kind: defaults.kind ?? 'task', status: defaults.status },
  }
}

function parseSortKey(text: string): SortKey {
  if ((SORT_KEYS as readonly string[]).includes(text)) return text as SortKey
  if (text.startsWith('metric:') && text.length > 'metric:'.length) return text as SortKey
  throw new BadRequestError(
    `"sort" must be one of ${SORT_KEYS.join(', ')} or metric:<name>, not "${text.slice(0, 40)}"`,
  )
}

/** The URL parameters of a state, with `changes` applied (a new filter or sort starts again at page 1). */
export function stateParams(state: TaskListState, changes: Params = {}): Params {
  const filter = state.filter
  const base: Record<string, string | number | undefined> = {
    run: filter.runId,
    parent: filter.parentId,
    kind: filter.kind === state.defaults.kind ? undefined : filter.kind,
    label: filter.label,
    status: filter.status === state.defaults.status ? undefined : filter.status,
    tag: filter.tag,
    metric: filter.metric?.name,
    min: filter.metric?.min,
    max: filter.metric?.max,
    q: filter.search,
    sort: state.sort.key === 'started' ? undefined : state.sort.key,
    dir:
      state.sort.descending === defaultDescending(state.sort.key)
        ? undefined
        : state.sort.descending
          ? 'desc'
          : 'asc',
    limit: state.limit === DEFAULT_LIMIT ? undefined : state.limit,
  }
  return { ...base, ...changes }
}

/** Whether a sort key is descending unless the URL says otherwise (metrics and durations: largest first). */
export function defaultDescending(key: SortKey): boolean {
  return key.startsWith('metric:') || key === 'duration'
}

/** The URL form of a page marker. */
export function formatCursor(cursor: TaskCursor): string {
  const parts = [cursor.value, cursor.runId, cursor.spanId, ...(cursor.row === undefined ? [] : [cursor.row])]
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url')
}

function parseCursor(text: string | null): TaskCursor | undefined {
  if (text === null || text === '') return undefined
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'))
    if (Array.isArray(value) && (value.length === 3 || value.length === 4)) {
      const [sort, runId, spanId, row] = value as unknown[]
      const sortOk =
        sort === null || typeof sort === 'string' || (typeof sort === 'number' && Number.isFinite(sort))
      const rowOk = row === undefined || (typeof row === 'number' && Number.isSafeInteger(row))
      if (sortOk && rowOk && typeof runId === 'string' && typeof spanId === 'string') {
        return { value: sort as number | string | null, runId, spanId, row: row as number | undefined }
      }
    }
  } catch {
    // falls through to the error below
  }
  throw new BadRequestError('the page marker ("after") is malformed; start again from the first page')
}
