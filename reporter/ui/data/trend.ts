/**
 * The trend of chosen run-level keys across the newest sessions: per session the mean of the key's raw
 * values over the session's runs and the number of points, with the 95% interval of the mean when the
 * statistics give one. Keys to choose from are those recorded in the window. Each ended session's sums and
 * counts per key are computed once and kept (its data no longer changes), so the page stays quick as
 * sessions land.
 */
import { intervalKey, type MeanInterval, type UiStatistics } from '../statistics.js'
import type { UiDatabase } from './database-lease.js'
import { sqlStringList } from './rows-by-number.js'
import { EVERY_SESSION, lastingKey } from './session-list.js'

/** A session of the trend window, oldest first. */
export interface TrendSession {
  readonly id: string
  readonly startedAt: Date | null
  /** Set for an ended session: what its lasting figures are kept under. */
  readonly lasting: string | undefined
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

/** Keys kept per session; a session with more has the rest read when charted. */
const KEYS_PER_SESSION = 2_000

/** A session's run-level keys: per key the sum and number of its finite raw values. */
interface SessionKeys {
  readonly keys: ReadonlyMap<string, { readonly sum: number; readonly n: number }>
  readonly complete: boolean
}

/** The newest `size` sessions, oldest first. */
export async function loadTrendWindow(db: UiDatabase, size: number): Promise<TrendSession[]> {
  return db.memo.get(`trend-window:${size}`, async () => {
    const rows = await db.database.query<{
      session_id: string
      started_at: Date | null
      ended_at: Date | null
      status: string | null
      recorded: boolean
    }>(
      `WITH every_session AS (${EVERY_SESSION})
       SELECT session_id, started_at, ended_at, status, recorded FROM every_session
       ORDER BY coalesce(epoch_us(started_at), 0) DESC, session_id DESC LIMIT ${Math.floor(size)}`,
    )
    return rows
      .reverse()
      .map((row) => ({ id: row.session_id, startedAt: row.started_at, lasting: lastingKey(row) }))
  })
}

/** The sum of a key's finite raw values over a session's runs, and how many there are. */
interface SessionKeySum {
  session_id: string
  name: string
  total: number | null
  n: bigint | number
}

/**
 * The keys of each session of the window: kept across changes of the file for ended sessions (their data
 * does not change), read for the others while the file is unchanged.
 */
async function sessionKeys(
  db: UiDatabase,
  window: readonly TrendSession[],
): Promise<Map<string, SessionKeys>> {
  const keyOf = (session: TrendSession) => `trend-keys:${session.lasting ?? session.id}`
  const cacheOf = (session: TrendSession) => (session.lasting === undefined ? db.memo : db.lasting)
  const missing = window.filter((session) => cacheOf(session).peek<SessionKeys>(keyOf(session)) === undefined)
  if (missing.length > 0) {
    const rows = await db.database.query<SessionKeySum>(
      `WITH per_run AS (
         SELECT run_id, name, sum(raw_value) FILTER (WHERE isfinite(raw_value)) AS total,
           count(*) FILTER (WHERE isfinite(raw_value)) AS n
         FROM run_metrics
         WHERE run_id IN (
           SELECT run_id FROM runs
           WHERE session_id IN (${sqlStringList(missing.map((session) => session.id))})
         )
         GROUP BY run_id, name
       )
       SELECT r.session_id, p.name, sum(p.total) AS total, sum(p.n) AS n
       FROM per_run p JOIN runs r ON r.run_id = p.run_id
       GROUP BY r.session_id, p.name
       QUALIFY row_number() OVER (PARTITION BY r.session_id ORDER BY p.name) <= ${KEYS_PER_SESSION + 1}`,
    )
    for (const session of missing) {
      const own = rows.filter((row) => row.session_id === session.id)
      const keys = new Map(
        own
          .slice(0, KEYS_PER_SESSION)
          .map((row) => [row.name, { sum: row.total ?? 0, n: Number(row.n) }] as const),
      )
      cacheOf(session).set(keyOf(session), { keys, complete: own.length <= KEYS_PER_SESSION })
    }
  }
  return new Map(
    window.map((session) => [session.id, cacheOf(session).peek<SessionKeys>(keyOf(session)) as SessionKeys]),
  )
}

/** Keys recorded in the window, most widespread first (at most 500). */
export async function loadTrendKeys(db: UiDatabase, window: readonly TrendSession[]): Promise<TrendKey[]> {
  const perSession = await sessionKeys(db, window)
  const found = new Map<string, { sessions: number; points: number }>()
  for (const { keys } of perSession.values()) {
    for (const [key, { n }] of keys) {
      const entry = found.get(key) ?? { sessions: 0, points: 0 }
      found.set(key, { sessions: entry.sessions + 1, points: entry.points + n })
    }
  }
  return [...found]
    .sort(([a, x], [b, y]) => y.sessions - x.sessions || a.localeCompare(b))
    .slice(0, 500)
    .map(([key, entry]) => ({ key, ...entry }))
}

/** The series of `keys` over the window. */
export async function loadTrend(
  db: UiDatabase,
  statistics: UiStatistics,
  keys: readonly string[],
  window: readonly TrendSession[],
): Promise<TrendSeries[]> {
  if (keys.length === 0 || window.length === 0) return []
  const perSession = await sessionKeys(db, window)
  // Keys a session has more of than were kept are read for it directly.
  const unkept = window
    .filter((session) => perSession.get(session.id)?.complete === false)
    .map((session) => session.id)
  const extra = new Map<string, { sum: number; n: number }>()
  if (unkept.length > 0) {
    const rows = await db.database.query<SessionKeySum>(
      `SELECT r.session_id, m.name, sum(m.raw_value) AS total, count(*) AS n
       FROM run_metrics m JOIN runs r ON r.run_id = m.run_id
       WHERE r.session_id IN (${sqlStringList(unkept)}) AND m.name IN (${sqlStringList(keys)})
         AND isfinite(m.raw_value)
       GROUP BY r.session_id, m.name`,
    )
    for (const row of rows)
      extra.set(intervalKey(row.session_id, row.name), { sum: row.total ?? 0, n: Number(row.n) })
  }
  const ids = window.map((session) => session.id)
  const intervals = await db.memo.get(`trend-intervals:${JSON.stringify([ids, keys])}`, () =>
    statistics.sessionIntervals(db.database, ids, keys),
  )
  return keys.map((key) => ({
    key,
    points: window.flatMap((session) => {
      const entry = perSession.get(session.id)?.keys.get(key) ?? extra.get(intervalKey(session.id, key))
      if (entry === undefined || entry.n === 0) return []
      return [
        {
          session,
          mean: entry.sum / entry.n,
          count: entry.n,
          interval: intervals.get(intervalKey(session.id, key)),
        },
      ]
    }),
  }))
}
