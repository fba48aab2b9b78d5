/**
 * Session references, as `--session`, `--baseline`, the `baseline` option and `compare` take them:
 * `latest`, a session id, a unique prefix of one (4+ characters), or a git sha (full, or a 7+
 * character prefix; the newest session recorded at that commit).
 */
import type { Database } from '../store/database.js'

/** How a reference matched. */
export type SessionMatchKind = 'latest' | 'id' | 'id prefix' | 'git sha'

/** A reference resolved to a session. */
export interface SessionMatch {
  readonly sessionId: string
  readonly matchedBy: SessionMatchKind
}

/** A reference that matches more than one session id. */
export class AmbiguousSessionError extends Error {
  override name = 'AmbiguousSessionError'
}

/** Where a reference is resolved from. */
export interface ResolveSessionOptions {
  /**
   * Resolve relative to this session (a baseline for it): it is never the answer, and `latest` means
   * the newest session that started before it.
   */
  readonly relativeTo?: string
}

/**
 * Resolves a session reference; `undefined` when nothing matches, {@link AmbiguousSessionError} when an id
 * prefix matches several.
 */
export async function resolveSession(
  database: Database,
  reference: string,
  options: ResolveSessionOptions = {},
): Promise<SessionMatch | undefined> {
  const relativeTo = options.relativeTo ?? null
  const ref = reference.trim()
  if (ref === 'latest') {
    const rows = await database.query<{ session_id: string }>(
      `WITH anchor AS (
         SELECT coalesce((SELECT started_at FROM sessions WHERE session_id = ?),
                         (SELECT min(started_at) FROM runs WHERE session_id = ?)) AS started_at
       )
       SELECT s.session_id FROM sessions s, anchor a
       WHERE s.session_id IS DISTINCT FROM ? AND (a.started_at IS NULL OR s.started_at < a.started_at)
       ORDER BY s.started_at DESC, s.session_id DESC LIMIT 1`,
      [relativeTo, relativeTo, relativeTo],
    )
    return rows[0] === undefined ? undefined : { sessionId: rows[0].session_id, matchedBy: 'latest' }
  }
  if (ref === '') return undefined
  const exact = await database.query<{ session_id: string }>(
    'SELECT session_id FROM sessions WHERE session_id = ? AND session_id IS DISTINCT FROM ?',
    [ref, relativeTo],
  )
  if (exact[0] !== undefined) return { sessionId: exact[0].session_id, matchedBy: 'id' }
  const isSha = /^[0-9a-f]+$/i.test(ref)
  if (isSha && ref.length >= 40) {
    const bySha = await newestAtCommit(database, ref.toLowerCase(), false, relativeTo)
    if (bySha !== undefined) return { sessionId: bySha, matchedBy: 'git sha' }
  }
  if (ref.length >= 4) {
    const prefixed = await database.query<{ session_id: string }>(
      `SELECT session_id FROM sessions WHERE starts_with(session_id, ?) AND session_id IS DISTINCT FROM ?
       ORDER BY session_id`,
      [ref, relativeTo],
    )
    if (prefixed.length > 1) {
      throw new AmbiguousSessionError(
        `strikes: session "${ref}" is ambiguous: ${prefixed.length} session ids start with it ` +
          `(${prefixed
            .slice(0, 3)
            .map((row) => row.session_id)
            .join(', ')}${prefixed.length > 3 ? ', …' : ''}); give more characters`,
      )
    }
    if (prefixed[0] !== undefined) return { sessionId: prefixed[0].session_id, matchedBy: 'id prefix' }
  }
  if (isSha && ref.length >= 7) {
    const bySha = await newestAtCommit(database, ref.toLowerCase(), true, relativeTo)
    if (bySha !== undefined) return { sessionId: bySha, matchedBy: 'git sha' }
  }
  return undefined
}

async function newestAtCommit(
  database: Database,
  sha: string,
  prefix: boolean,
  relativeTo: string | null,
): Promise<string | undefined> {
  const rows = await database.query<{ session_id: string }>(
    `SELECT session_id FROM sessions
     WHERE ${prefix ? 'starts_with(lower(git_sha), ?)' : 'lower(git_sha) = ?'}
       AND session_id IS DISTINCT FROM ?
     ORDER BY started_at DESC, session_id DESC LIMIT 1`,
    [sha, relativeTo],
  )
  return rows[0]?.session_id
}
