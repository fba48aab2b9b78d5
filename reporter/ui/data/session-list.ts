/**
 * Sessions newest first, a page at a time (keyset on start time and id): status, gate verdict and failed
 * gates, git sha, duration, and counts of runs, tasks and failed tasks. A session whose runs landed but whose
 * row is not written yet (`vitest` still running) is listed as `running`.
 */
import { BadRequestError } from '../server/http-errors.js'
import type { Memo, UiDatabase } from './database-lease.js'
import { sqlStringList } from './rows-by-number.js'

/** SQL (a CTE body): every session, also those with runs but no session row yet. */
export const EVERY_SESSION = `
  SELECT session_id, started_at, ended_at, status, gate_passed, git_sha, true AS recorded FROM sessions
  UNION ALL
  SELECT session_id, min(started_at), max(ended_at), 'running', NULL, NULL, false FROM runs
  WHERE session_id NOT IN (SELECT session_id FROM sessions) GROUP BY session_id`

/** A row of {@link EVERY_SESSION}. */
export interface EverySessionRow {
  session_id: string
  started_at: Date | null
  ended_at: Date | null
  status: string | null
  gate_passed: boolean | null
  git_sha: string | null
  recorded: boolean
}

/** What {@link EVERY_SESSION} says of a session. */
export interface SessionBasics {
  readonly id: string
  readonly startedAt: Date | null
  readonly endedAt: Date | null
  readonly status: string
  readonly gatePassed: boolean | null
  readonly gitSha: string | null
}

/** A session's basics from its {@link EVERY_SESSION} row (a session without a status reads `unknown`). */
export function sessionBasics(row: EverySessionRow): SessionBasics {
  return {
    id: row.session_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    status: row.status ?? 'unknown',
    gatePassed: row.gate_passed,
    gitSha: row.git_sha,
  }
}

/** One session in the list. */
export interface SessionSummary extends SessionBasics {
  readonly failedGates: number
  readonly runs: number
  readonly tasks: number
  readonly failedTasks: number
}

/** Where a page of sessions starts: after this session in newest-first order. */
export interface SessionCursor {
  readonly startedUs: number
  readonly id: string
}

/** A page of sessions. */
export interface SessionPage {
  readonly sessions: readonly SessionSummary[]
  readonly next: SessionCursor | undefined
  readonly total: number
}

interface SessionRow extends EverySessionRow {
  started_us: bigint | number | null
}

interface SessionCounts {
  readonly runs: number
  readonly tasks: number
  readonly failedTasks: number
}

interface CountRow {
  session_id: string
  runs: bigint | number
  tasks: bigint | number
  failed_tasks: bigint | number
}

/** Reads `limit` sessions after `after` (newest first). */
export async function loadSessionPage(
  db: UiDatabase,
  limit: number,
  after: SessionCursor | undefined,
): Promise<SessionPage> {
  const rows = await db.database.query<SessionRow>(
    `WITH every_session AS (${EVERY_SESSION})
     SELECT session_id, started_at, coalesce(epoch_us(started_at), 0) AS started_us, ended_at, status,
       gate_passed, git_sha, recorded
     FROM every_session
     WHERE ?::BOOLEAN OR coalesce(epoch_us(started_at), 0) < ?::BIGINT
       OR (coalesce(epoch_us(started_at), 0) = ?::BIGINT AND session_id < ?)
     ORDER BY coalesce(epoch_us(started_at), 0) DESC, session_id DESC
     LIMIT ${Math.floor(limit) + 1}`,
    [after === undefined, after?.startedUs ?? 0, after?.startedUs ?? 0, after?.id ?? ''],
  )
  const shown = rows.slice(0, limit)
  const total = await db.memo.get('session-total', async () => {
    const [row] = await db.database.query<{ n: bigint | number }>(
      `WITH every_session AS (${EVERY_SESSION}) SELECT count(*) AS n FROM every_session`,
    )
    return Number(row?.n ?? 0)
  })
  const counts = await sessionCounts(
    db,
    shown.map((row) => ({ id: row.session_id, lasting: lastingKey(row) })),
  )
  const gates = await failedGates(
    db,
    shown.map((row) => row.session_id),
  )
  const last = shown[shown.length - 1]
  return {
    total,
    next:
      rows.length > limit && last !== undefined
        ? { startedUs: Number(last.started_us ?? 0), id: last.session_id }
        : undefined,
    sessions: shown.map((row) => {
      const count = counts.get(row.session_id)
      return {
        ...sessionBasics(row),
        failedGates: gates.get(row.session_id) ?? 0,
        runs: count?.runs ?? 0,
        tasks: count?.tasks ?? 0,
        failedTasks: count?.failedTasks ?? 0,
      }
    }),
  }
}

/**
 * The key under which figures of a session stay true while the file changes: a session with its row written
 * (ended) keeps its runs and tasks; one still running has none.
 */
export function lastingKey(row: {
  session_id: string
  ended_at: Date | null
  status: string | null
  recorded: boolean
}): string | undefined {
  if (!row.recorded) return undefined
  return JSON.stringify([row.session_id, row.ended_at?.getTime() ?? null, row.status])
}

/**
 * Where figures of one session are kept: for an ended session, across changes of the file (under its id,
 * end time and status — its data no longer changes); for one still recording, only while the file is
 * unchanged. `key` prefixes the names of what is kept.
 */
export function sessionStore(db: UiDatabase, sessionId: string): Promise<{ store: Memo; key: string }> {
  return db.memo.get(`session-store:${sessionId}`, async () => {
    const [row] = await db.database.query<{
      session_id: string
      ended_at: Date | null
      status: string | null
      recorded: boolean
    }>(
      `WITH every_session AS (${EVERY_SESSION})
       SELECT session_id, ended_at, status, recorded FROM every_session WHERE session_id = ?`,
      [sessionId],
    )
    const lasting = row === undefined ? undefined : lastingKey(row)
    return lasting === undefined ? { store: db.memo, key: sessionId } : { store: db.lasting, key: lasting }
  })
}

/**
 * Runs, tasks and failed tasks of each session: kept across changes of the file for ended sessions, else
 * while the file is unchanged.
 */
async function sessionCounts(
  db: UiDatabase,
  sessions: readonly { id: string; lasting: string | undefined }[],
): Promise<Map<string, SessionCounts>> {
  const keyOf = (session: { id: string; lasting: string | undefined }) =>
    session.lasting === undefined ? `session-counts:${session.id}` : `session-counts:${session.lasting}`
  const cacheOf = (session: { lasting: string | undefined }) =>
    session.lasting === undefined ? db.memo : db.lasting
  const missing = sessions.filter(
    (session) => cacheOf(session).peek<SessionCounts>(keyOf(session)) === undefined,
  )
  if (missing.length > 0) {
    const ids = missing.map((session) => session.id)
    // Counted per run (the spans of a run are stored together), then summed per session.
    const rows = await db.database.query<CountRow>(
      `WITH per_run AS (
         SELECT run_id, count(*) FILTER (WHERE kind = 'task') AS tasks,
           count(*) FILTER (WHERE kind = 'task' AND status = 'error') AS failed_tasks
         FROM spans WHERE run_id IN (SELECT run_id FROM runs WHERE session_id IN (${sqlStringList(ids)}))
         GROUP BY run_id
       )
       SELECT r.session_id, count(*) AS runs, coalesce(sum(p.tasks), 0) AS tasks,
         coalesce(sum(p.failed_tasks), 0) AS failed_tasks
       FROM runs r LEFT JOIN per_run p ON p.run_id = r.run_id
       WHERE r.session_id IN (${sqlStringList(ids)})
       GROUP BY r.session_id`,
    )
    for (const session of missing) {
      const row = rows.find((entry) => entry.session_id === session.id)
      cacheOf(session).set(keyOf(session), {
        runs: Number(row?.runs ?? 0),
        tasks: Number(row?.tasks ?? 0),
        failedTasks: Number(row?.failed_tasks ?? 0),
      })
    }
  }
  const result = new Map<string, SessionCounts>()
  for (const session of sessions) {
    const value = cacheOf(session).peek<SessionCounts>(keyOf(session))
    if (value !== undefined) result.set(session.id, value)
  }
  return result
}

async function failedGates(db: UiDatabase, ids: readonly string[]): Promise<Map<string, number>> {
  if (!db.features.gates || ids.length === 0) return new Map()
  const rows = await db.database.query<{ session_id: string; n: bigint | number }>(
    `SELECT session_id, count(*) FILTER (WHERE NOT coalesce(passed, false)) AS n FROM gates
     WHERE session_id IN (${sqlStringList(ids)}) GROUP BY session_id`,
  )
  return new Map(rows.map((row) => [row.session_id, Number(row.n)]))
}

/** Reads a session cursor from its URL form (`<microseconds>.<id>`); throws on a malformed one. */
export function parseSessionCursor(text: string | null): SessionCursor | undefined {
  if (text === null || text === '') return undefined
  const dot = text.indexOf('.')
  const startedUs = Number(text.slice(0, dot))
  if (dot < 1 || !Number.isSafeInteger(startedUs))
    throw new BadRequestError(`the page marker "${text}" is malformed`)
  return { startedUs, id: text.slice(dot + 1) }
}

/** The URL form of a session cursor. */
export function formatSessionCursor(cursor: SessionCursor): string {
  return `${cursor.startedUs}.${cursor.id}`
}
