/**
 * How many spans a list has: for filters by run, kind, label and status only — the common ones — the count
 * comes from one aggregate of the session's spans by those four columns, read once (memoised while the file
 * is unchanged), so choosing a label or a status costs no count of its own; other filters are counted with
 * the list's own query.
 */
import type { UiDatabase } from './database-lease.js'
import { sessionStore } from './session-list.js'
import { countQuery, filterKey, type QueryHints, type TaskFilter } from './task-filter.js'

/** Spans of a session counted by run, kind, label and status. */
export interface GroupRow {
  run_id: string
  /** Whether any span of the group has tags. */
  tagged: boolean | null
  kind: string | null
  label: string | null
  status: string | null
  n: bigint | number
}

/** The number of spans the filter lets through. */
export async function countTasks(
  db: UiDatabase,
  filter: TaskFilter,
  hints: QueryHints = {},
): Promise<number> {
  return db.memo.get(`task-count:${filterKey(filter)}`, async () => {
    const simple =
      filter.parentId === undefined &&
      filter.tag === undefined &&
      filter.metric === undefined &&
      filter.search === undefined
    const groups = simple ? await spanGroups(db, filter.sessionId) : undefined
    if (groups !== undefined) {
      let total = 0
      for (const group of groups) {
        if (filter.runId !== undefined && group.run_id !== filter.runId) continue
        if (filter.kind !== 'any' && group.kind !== filter.kind) continue
        if (filter.label !== undefined && group.label !== filter.label) continue
        if (filter.status !== undefined && group.status !== filter.status) continue
        total += Number(group.n)
      }
      return total
    }
    const count = countQuery(filter, hints)
    const [row] = await db.database.query<{ n: bigint | number }>(count.sql, count.params)
    return Number(row?.n ?? 0)
  })
}

/** Groups kept at most; a session with more (thousands of labels) is counted query by query. */
const MAX_GROUPS = 20_000

/** The session's spans counted by run, kind, label and status; undefined when there are too many groups. */
export async function spanGroups(db: UiDatabase, sessionId: string): Promise<GroupRow[] | undefined> {
  const { store, key } = await sessionStore(db, sessionId)
  return store.get(`span-groups:${key}`, async () => {
    const rows = await db.database.query<GroupRow>(
      `SELECT run_id, kind, label, status, count(*) AS n, bool_or(len(tags) > 0) AS tagged FROM spans
       WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
       GROUP BY run_id, kind, label, status LIMIT ${MAX_GROUPS + 1}`,
      [sessionId],
    )
    return rows.length > MAX_GROUPS ? undefined : rows
  })
}
