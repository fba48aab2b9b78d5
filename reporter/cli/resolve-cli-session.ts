/** Session references given on the command line (`--session`, `compare`, `report`), resolved or refused with a clear error. */
import { resolveSession } from '../gate/session-reference.js'
import type { Database } from '../store/database.js'

/** The session id `reference` (`latest`, an id, a unique id prefix, a git sha) names; throws when none does. */
export async function resolveCliSession(database: Database, reference: string): Promise<string> {
  const match = await resolveSession(database, reference)
  if (match !== undefined) return match.sessionId
  const any = await database.query<{ n: bigint }>('SELECT count(*) AS n FROM sessions')
  if (any[0]?.n === 0n) {
    throw new Error(
      `strikes: no sessions recorded in ${database.path} yet (run vitest with --reporter=strikes)`,
    )
  }
  throw new Error(
    `strikes: no session matches "${reference}" in ${database.path} (give latest, a session id or prefix, or a git sha; see strikes runs)`,
  )
}
