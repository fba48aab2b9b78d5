/**
 * One session: finding it from the address (an id, `latest`, a unique prefix, a git sha), its facts, its
 * runs with counts, and its gate verdicts as the reporter recorded them.
 */
import { AmbiguousSessionError, resolveSession } from '../../gate/session-reference.js'
import { loadRunOverviews, type RunOverview } from '../../report/run-overview.js'
import { BadRequestError, NotFoundError } from '../server/http-errors.js'
import type { UiDatabase } from './database-lease.js'
import {
  EVERY_SESSION,
  type EverySessionRow,
  type SessionBasics,
  sessionBasics,
  sessionStore,
} from './session-list.js'

/** A session's facts. */
export interface SessionFacts extends SessionBasics {
  readonly strikesVersion: string | null
  readonly vitestVersion: string | null
  readonly root: string | null
  /** False while the session has runs but no row yet (`vitest` still running). */
  readonly recorded: boolean
}

/** A gate verdict of the session. */
export interface GateRow {
  readonly run: string | null
  readonly runId: string | null
  readonly key: string
  readonly expression: string
  readonly observed: number | null
  readonly expected: number | null
  readonly baselineSessionId: string | null
  readonly verdict: string
  readonly passed: boolean
  readonly message: string | null
}

/** How an address names a session. */
export type SessionLookup = { readonly found: string } | { readonly redirect: string }

/**
 * The session `reference` names: an exact id is found as it is; `latest`, a unique id prefix or a git sha
 * give a redirect to the session's own address. Throws {@link NotFoundError} when none matches.
 */
export async function findSession(db: UiDatabase, reference: string): Promise<SessionLookup> {
  const exact = await db.database.query<{ session_id: string }>(
    `WITH every_session AS (${EVERY_SESSION}) SELECT session_id FROM every_session WHERE session_id = ?`,
    [reference],
  )
  if (exact[0] !== undefined) return { found: exact[0].session_id }
  try {
    if (reference === 'latest') {
      const [newest] = await db.database.query<{ session_id: string }>(
        `WITH every_session AS (${EVERY_SESSION}) SELECT session_id FROM every_session
         ORDER BY coalesce(epoch_us(started_at), 0) DESC, session_id DESC LIMIT 1`,
      )
      if (newest !== undefined) return { redirect: newest.session_id }
    } else {
      const match = await resolveSession(db.database, reference)
      if (match !== undefined) return { redirect: match.sessionId }
    }
  } catch (error) {
    if (error instanceof AmbiguousSessionError)
      throw new BadRequestError(error.message.replace(/^strikes: /, ''))
    throw error
  }
  throw new NotFoundError(
    reference === 'latest'
      ? 'No session is recorded in this database yet.'
      : `No session "${reference.slice(0, 80)}" in this database ` +
          '(give a session id, a unique prefix of one, latest, or a git sha).',
  )
}

interface FactsRow extends EverySessionRow {
  strikes_version: string | null
  vitest_version: string | null
  root: string | null
}

/** The facts of a session known to exist. */
export async function loadSessionFacts(db: UiDatabase, sessionId: string): Promise<SessionFacts> {
  const [row] = await db.database.query<FactsRow>(
    `WITH every_session AS (${EVERY_SESSION})
     SELECT e.*, s.strikes_version, s.vitest_version, s.root
     FROM every_session e LEFT JOIN sessions s ON s.session_id = e.session_id
     WHERE e.session_id = ?`,
    [sessionId],
  )
  if (row === undefined) throw new NotFoundError(`No session "${sessionId}" in this database.`)
  return {
    ...sessionBasics(row),
    strikesVersion: row.strikes_version,
    vitestVersion: row.vitest_version,
    root: row.root,
    recorded: row.recorded,
  }
}

/** The runs of a session with their counts (at most 500, by name). */
export async function loadSessionRuns(db: UiDatabase, sessionId: string): Promise<RunOverview[]> {
  const { store, key } = await sessionStore(db, sessionId)
  return store.get(`runs:${key}`, () => loadRunOverviews(db.database, sessionId, 500))
}

interface GateDbRow {
  run_id: string | null
  run: string | null
  key: string
  expression: string
  observed: number | null
  expected: number | null
  baseline_session_id: string | null
  verdict: string
  passed: boolean | null
  message: string | null
}

/** The gate verdicts of a session, failed first (none when the file predates gates). */
export async function loadSessionGates(db: UiDatabase, sessionId: string): Promise<GateRow[]> {
  if (!db.features.gates) return []
  const rows = await db.database.query<GateDbRow>(
    `SELECT g.run_id, r.name AS run, g.key, g.expression, g.observed, g.expected, g.baseline_session_id,
       g.verdict, g.passed, left(g.message, 2000) AS message
     FROM gates g LEFT JOIN runs r ON r.run_id = g.run_id
     WHERE g.session_id = ?
     ORDER BY coalesce(g.passed, false), g.seq, g.key LIMIT 1000`,
    [sessionId],
  )
  return rows.map((row) => ({
    run: row.run,
    runId: row.run_id,
    key: row.key,
    expression: row.expression,
    observed: row.observed,
    expected: row.expected,
    baselineSessionId: row.baseline_session_id,
    verdict: row.verdict,
    passed: row.passed === true,
    message: row.message,
  }))
}

/** Threshold expressions per key as the session's gates recorded them (to know which way a key improves). */
export function thresholdsOf(gates: readonly GateRow[]): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {}
  for (const gate of gates) {
    const list = thresholds[gate.key] ?? []
    list.push(gate.expression)
    thresholds[gate.key] = list
  }
  return thresholds
}

/** The session started just before `sessionId` (its natural baseline), if any. */
export async function previousSession(db: UiDatabase, sessionId: string): Promise<string | undefined> {
  const rows = await db.database.query<{ session_id: string }>(
    `WITH every_session AS (${EVERY_SESSION}),
     anchor AS (SELECT coalesce(epoch_us(started_at), 0) AS t FROM every_session WHERE session_id = ?)
     SELECT e.session_id FROM every_session e, anchor a
     WHERE e.session_id <> ? AND (coalesce(epoch_us(e.started_at), 0) < a.t
       OR (coalesce(epoch_us(e.started_at), 0) = a.t AND e.session_id < ?))
     ORDER BY coalesce(epoch_us(e.started_at), 0) DESC, e.session_id DESC LIMIT 1`,
    [sessionId, sessionId, sessionId],
  )
  return rows[0]?.session_id
}
