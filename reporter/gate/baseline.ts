/**
 * Baselines of regression gates: for a run and a key, the run whose same aggregate the gate compares
 * against. By default that is the newest earlier run of the same file (same `project` and `name`, in
 * another session, not crashed) that recorded the key. With a session reference (`--baseline`, the
 * `baseline` option) it is that session's run of the same file.
 */
import type { Database } from '../store/database.js'
import { AmbiguousSessionError, resolveSession, type SessionMatch } from './session-reference.js'

/** A run of the evaluated session that a regression gate needs a baseline for. */
export interface GatedRun {
  readonly runId: string
  readonly sessionId: string
  readonly project: string | null
  readonly name: string
}

/** The run a gate compares against, or why there is none. */
export type BaselineLookup =
  | { readonly found: true; readonly runId: string; readonly sessionId: string }
  | { readonly found: false; readonly reason: string }

/** Finds baseline runs for one evaluated session; a session reference is resolved once. */
export class BaselineFinder {
  private session: Promise<SessionMatch | undefined> | undefined

  /**
   * `reference`: an explicit baseline session (`latest`, id, id prefix, git sha); default: the previous run
   * of each file.
   */
  constructor(
    private readonly database: Database,
    private readonly sessionId: string,
    private readonly reference: string | undefined,
  ) {}

  /** The baseline run of `run` for `key`. */
  async find(run: GatedRun, key: string): Promise<BaselineLookup> {
    if (this.reference === undefined) return this.previousRun(run, key)
    let match: SessionMatch | undefined
    try {
      this.session ??= resolveSession(this.database, this.reference, { relativeTo: this.sessionId })
      match = await this.session
    } catch (error) {
      if (error instanceof AmbiguousSessionError)
        return { found: false, reason: error.message.replace(/^strikes: /, '') }
      throw error
    }
    if (match === undefined) {
      const expected = 'expected latest, a session id or a git sha'
      return { found: false, reason: `no baseline session matches "${this.reference}" (${expected})` }
    }
    const rows = await this.database.query<{ run_id: string; status: string }>(
      `SELECT run_id, status FROM runs
       WHERE session_id = ? AND project IS NOT DISTINCT FROM ? AND name = ?
       ORDER BY started_at DESC, run_id DESC LIMIT 1`,
      [match.sessionId, run.project, run.name],
    )
    const found = rows[0]
    if (found === undefined) {
      return {
        found: false,
        reason: `baseline session ${shortId(match.sessionId)} has no run of ${run.name}`,
      }
    }
    if (found.status === 'crashed') {
      return {
        found: false,
        reason: `the run of ${run.name} in baseline session ${shortId(match.sessionId)} crashed`,
      }
    }
    return { found: true, runId: found.run_id, sessionId: match.sessionId }
  }

  private async previousRun(run: GatedRun, key: string): Promise<BaselineLookup> {
    const rows = await this.database.query<{ run_id: string; session_id: string }>(
      `SELECT r.run_id, r.session_id FROM runs r
       WHERE r.project IS NOT DISTINCT FROM ? AND r.name = ? AND r.session_id <> ? AND r.status <> 'crashed'
         AND r.started_at < (SELECT started_at FROM runs WHERE run_id = ?)
         AND EXISTS (SELECT 1 FROM run_metrics m
                     WHERE m.run_id = r.run_id AND m.name = ? AND m.raw_value IS NOT NULL)
       ORDER BY r.started_at DESC, r.run_id DESC LIMIT 1`,
      [run.project, run.name, run.sessionId, run.runId, key],
    )
    const found = rows[0]
    if (found === undefined) return { found: false, reason: `no earlier run of ${run.name} recorded ${key}` }
    return { found: true, runId: found.run_id, sessionId: found.session_id }
  }
}

/** The first 8 characters of a session id, as shown in tables. */
export function shortId(sessionId: string): string {
  return sessionId.slice(0, 8)
}
