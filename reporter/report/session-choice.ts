/** Which session a regenerated report is about: the latest, or one named by its id (or a unique prefix). */
import type { Database } from '../store/database.js'

/** The requested session is not in the database. */
export class SessionNotFoundError extends Error {
  override name = 'SessionNotFoundError'
}

/** Resolves `latest`, a session id or a unique prefix of one to a session id in the database at `dbPath`. */
export async function chooseSession(database: Database, requested: string, dbPath: string): Promise<string> {
  if (requested === 'latest') {
    const [latest] = await database.query<{ session_id: string }>(
      `SELECT session_id FROM (
         SELECT session_id, started_at FROM sessions
         UNION ALL SELECT session_id, min(started_at) FROM runs GROUP BY session_id
       ) ORDER BY started_at DESC NULLS LAST, session_id DESC LIMIT 1`,
    )
    if (latest === undefined) {
      throw new SessionNotFoundError(
        `strikes: ${dbPath} holds no session yet; ` +
          'run your evals with `vitest run --reporter=strikes` first',
      )
    }
    return latest.session_id
  }
  const matches = await database.query<{ session_id: string }>(
    `SELECT DISTINCT session_id FROM (
       SELECT session_id FROM sessions UNION ALL SELECT session_id FROM runs
     ) WHERE session_id = ? OR starts_with(session_id, ?) ORDER BY session_id LIMIT 6`,
    [requested, requested],
  )
  const exact = matches.find((row) => row.session_id === requested)
  if (exact !== undefined) return exact.session_id
  const [only, ...others] = matches
  if (only !== undefined && others.length === 0) return only.session_id
  if (only === undefined) {
    throw new SessionNotFoundError(
      `strikes: no session "${requested}" in ${dbPath}; ` +
        'list the sessions with `strikes runs`, or omit --session for the latest',
    )
  }
  throw new SessionNotFoundError(
    `strikes: "${requested}" matches several sessions in ${dbPath} (${matches
      .slice(0, 5)
      .map((row) => row.session_id)
      .join(', ')}${matches.length > 5 ? ', …' : ''}); give more of the id`,
  )
}
