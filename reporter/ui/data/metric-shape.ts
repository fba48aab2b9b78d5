/**
 * Which task-level metrics of a session have at most one point per span (as scores do): for those, sorting
 * and range filters need no averaging, and a sort can start from the metric's own best points. Finding out
 * reads every point of the session once, so it is learned in the background the first time it is wanted
 * (the request that wants it is answered the general way meanwhile) and kept: for an ended session, across
 * changes of the file (its data no longer changes).
 */
import type { UiDatabase } from './database-lease.js'
import { EVERY_SESSION, lastingKey } from './session-list.js'

/** The metric names of the session with one point per span, if already known. */
export async function knownOnePointMetrics(
  db: UiDatabase,
  sessionId: string,
): Promise<ReadonlySet<string> | undefined> {
  const key = await shapeKey(db, sessionId)
  const known = cacheFor(db, key).peek<ReadonlySet<string>>(key.name)
  if (known !== undefined) return known
  db.afterwards(async (later) => {
    const cache = cacheFor(later, key)
    if (cache.peek(key.name) !== undefined) return
    const rows = await later.database.query<{
      name: string
      points: bigint | number
      spans: bigint | number
    }>(
      `SELECT name, count(*) AS points, count(DISTINCT hash(run_id, span_id)) AS spans FROM metrics
       WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ?) GROUP BY name`,
      [sessionId],
    )
    // A hash collision would only make a metric look averaged: the general (always correct) query is used.
    cache.set(
      key.name,
      new Set(rows.filter((row) => Number(row.points) === Number(row.spans)).map((row) => row.name)),
    )
  })
  return undefined
}

interface ShapeKey {
  readonly name: string
  readonly lasting: boolean
}

function cacheFor(db: UiDatabase, key: ShapeKey) {
  return key.lasting ? db.lasting : db.memo
}

/** Where the shape of a session is kept: lasting for an ended session, else for this version of the file. */
function shapeKey(db: UiDatabase, sessionId: string): Promise<ShapeKey> {
  return db.memo.get(`shape-key:${sessionId}`, async () => {
    const [row] = await db.database.query<{
      session_id: string
      ended_at: Date | null
      status: string | null
      recorded: boolean
    }>(`WITH every_session AS (${EVERY_SESSION}) SELECT * FROM every_session WHERE session_id = ?`, [
      sessionId,
    ])
    const lasting = row === undefined ? undefined : lastingKey(row)
    return lasting === undefined
      ? { name: `one-point:${sessionId}`, lasting: false }
      : { name: `one-point:${lasting}`, lasting: true }
  })
}
