/**
 * The trend of chosen run-level keys across the newest sessions: per session the mean of the key's raw
 * values over the session's runs and the number of points, with the 95% interval of the mean when the
 * statistics give one. Keys to choose from are those recorded in the window.
 */
import { intervalKey, type MeanInterval, type UiStatistics } from '../statistics.js'
import type { UiDatabase } from './database-lease.js'
import { sqlStringList } from './rows-by-number.js'
import { EVERY_SESSION } from './session-list.js'

/** A session of the trend window, oldest first. */
export interface TrendSession {
  readonly id: string
  readonly startedAt: Date | null
}

/** One session's value of a key. */
export interface TrendPoint {
  readonly session: TrendSession
  readonly mean: number
  readonly count: number
  readonly interval: MeanInterval | undefined
}

/** One key across the window. */
export interface TrendSeries {
  readonly key: string
  readonly points: readonly TrendPoint[]
}

/** A key that can be charted, with in how many sessions of the window it was recorded. */
export interface TrendKey {
  readonly key: string
  readonly sessions: number
  readonly points: number
}

/** The newest `size` sessions, oldest first. */
export async function loadTrendWindow(db: UiDatabase, size: number): Promise<TrendSession[]> {
  return db.memo.get(`trend-window:${size}`, async () => {
    const rows = await db.database.query<{ session_id: string; started_at: Date | null }>(
      `WITH every_session AS (${EVERY_SESSION})
       SELECT session_id, started_at FROM every_session
       ORDER BY coalesce(epoch_us(started_at), 0) DESC, session_id DESC LIMIT ${Math.floor(size)}`,
    )
    return rows.reverse().map((row) => ({ id: row.session_id, startedAt: row.started_at }))
  })
}

/** Keys recorded in the window, most widespread first (at most 500). */
export async function loadTrendKeys(db: UiDatabase, window: readonly TrendSession[]): Promise<TrendKey[]> {
  if (window.length === 0) return []
  const ids = window.map((session) => session.id)
  return db.memo.get(`trend-keys:${JSON.stringify(ids)}`, async () => {
    const rows = await db.database.query<{
      name: string
      sessions: bigint | number
      points: bigint | number
    }>(
      `WITH per_run AS (
         SELECT run_id, name, count(*) AS n FROM run_metrics
         WHERE run_id IN (SELECT run_id FROM runs WHERE session_id IN (${sqlStringList(ids)}))
         GROUP BY run_id, name
       )
       SELECT p.name, count(DISTINCT r.session_id) AS sessions, sum(p.n) AS points
       FROM per_run p JOIN runs r ON r.run_id = p.run_id
       GROUP BY p.name ORDER BY sessions DESC, p.name LIMIT 500`,
    )
    return rows.map((row) => ({ key: row.name, sessions: Number(row.sessions), points: Number(row.points) }))
  })
}

/** The series of `keys` over the window. */
export async function loadTrend(
  db: UiDatabase,
  statistics: UiStatistics,
  keys: readonly string[],
  window: readonly TrendSession[],
): Promise<TrendSeries[]> {
  if (keys.length === 0 || window.length === 0) return []
  const ids = window.map((session) => session.id)
  const rows = await db.database.query<{
    session_id: string
    name: string
    mean: number
    n: bigint | number
  }>(
    `WITH per_run AS (
       SELECT run_id, name, sum(raw_value) AS total, count(*) AS n FROM run_metrics
       WHERE run_id IN (SELECT run_id FROM runs WHERE session_id IN (${sqlStringList(ids)}))
         AND name IN (${sqlStringList(keys)}) AND raw_value IS NOT NULL AND isfinite(raw_value)
       GROUP BY run_id, name
     )
     SELECT r.session_id, p.name, sum(p.total) / sum(p.n) AS mean, sum(p.n) AS n
     FROM per_run p JOIN runs r ON r.run_id = p.run_id
     GROUP BY r.session_id, p.name`,
  )
  const intervals = await statistics.sessionIntervals(db.database, ids, keys)
  const byKey = new Map(rows.map((row) => [intervalKey(row.session_id, row.name), row]))
  return keys.map((key) => ({
    key,
    points: window.flatMap((session) => {
      const row = byKey.get(intervalKey(session.id, key))
      if (row === undefined) return []
      return [
        {
          session,
          mean: row.mean,
          count: Number(row.n),
          interval: intervals.get(intervalKey(session.id, key)),
        },
      ]
    }),
  }))
}
