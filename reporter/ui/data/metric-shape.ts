/**
 * Whether a task-level metric of a session has at most one point per span (as scores do): then a range
 * filter or a sort on it needs no averaging of every span's points. Finding out reads every point of the
 * metric once, so it is learned in the background the first time it is wanted (that request is answered the
 * general way meanwhile) and kept — for an ended session across changes of the file, its data being final.
 */
import type { UiDatabase } from './database-lease.js'
import { sessionStore } from './session-list.js'
import { sortMetric, type TaskFilter, type TaskSort } from './task-filter.js'

/** The metrics a filter and sort use that are known to have one point per span at most (see `QueryHints`). */
export async function onePointMetrics(
  db: UiDatabase,
  filter: TaskFilter,
  sort: TaskSort,
): Promise<Set<string>> {
  const names = [filter.metric?.name, sortMetric(sort.key)].filter(
    (name): name is string => name !== undefined,
  )
  const single = new Set<string>()
  for (const name of new Set(names))
    if ((await onePointPerSpan(db, filter.sessionId, name)) === true) single.add(name)
  return single
}

/** True or false when known; `undefined` (and learning scheduled) when not yet. */
async function onePointPerSpan(
  db: UiDatabase,
  sessionId: string,
  name: string,
): Promise<boolean | undefined> {
  const { store, key: prefix } = await sessionStore(db, sessionId)
  const key = `one-point:${prefix}:${name}`
  const known = store.peek<boolean>(key)
  if (known !== undefined) return known
  db.afterwards(async (later) => {
    if (store.peek(key) !== undefined) return
    const [row] = await later.database.query<{ points: bigint | number; spans: bigint | number }>(
      `SELECT count(*) AS points, count(DISTINCT hash(run_id, span_id)) AS spans FROM metrics
       WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ?) AND name = ?`,
      [sessionId, name],
    )
    // A hash collision would only make the metric look averaged: the general (always correct) query is used.
    store.set(key, row !== undefined && Number(row.points) === Number(row.spans))
  })
  return undefined
}
