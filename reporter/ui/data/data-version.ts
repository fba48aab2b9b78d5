/**
 * The version of the data a page shows: how many sessions and runs the file holds and the state of the
 * newest session. A page carries the token it was rendered from; the server sends the new one when a
 * session lands, and the page knows it is out of date.
 */
import type { UiDatabase } from './database-lease.js'
import { EVERY_SESSION } from './session-list.js'

/** What the file holds, in brief. */
export interface DataVersion {
  /** Changes whenever a run or session is written or a session's status changes. */
  readonly token: string
  readonly sessions: number
  readonly runs: number
  /** The newest session (by start), also one still running (runs but no session row yet). */
  readonly latest: { readonly id: string; readonly status: string } | undefined
}

interface VersionRow {
  sessions: bigint | number
  runs: bigint | number
  ended: bigint | number | null
  latest_id: string | null
  latest_status: string | null
}

/** Reads the data version (memoised while the file is unchanged). */
export function loadDataVersion(db: UiDatabase): Promise<DataVersion> {
  return db.memo.get('data-version', async () => {
    const [row] = await db.database.query<VersionRow>(
      `WITH every_session AS (${EVERY_SESSION})
       SELECT (SELECT count(*) FROM every_session) AS sessions,
         (SELECT count(*) FROM runs) AS runs,
         (SELECT max(epoch_us(ended_at)) FROM sessions) AS ended,
         latest.session_id AS latest_id, latest.status AS latest_status
       FROM (SELECT 1) one LEFT JOIN (
         SELECT session_id, status FROM every_session ORDER BY started_at DESC NULLS LAST, session_id DESC LIMIT 1
       ) latest ON true`,
    )
    const sessions = Number(row?.sessions ?? 0)
    const runs = Number(row?.runs ?? 0)
    const latest =
      row?.latest_id === null || row?.latest_id === undefined
        ? undefined
        : { id: row.latest_id, status: row.latest_status ?? 'unknown' }
    return {
      token: `${sessions}.${runs}.${row?.ended ?? 0}.${latest?.id ?? ''}.${latest?.status ?? ''}`,
      sessions,
      runs,
      latest,
    }
  })
}
