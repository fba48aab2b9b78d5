/** Session rows: one per `vitest` invocation (or `withRun` script), written when the session ends. */
import type { Database } from './database.js'

/** A session's row in `sessions`. */
export interface SessionRow {
  readonly sessionId: string
  readonly startedAt: Date
  readonly endedAt: Date | undefined
  /** `running`, `passed`, `failed`, `interrupted`. */
  readonly status: string
  readonly gatePassed: boolean | undefined
  readonly strikesVersion: string
  readonly vitestVersion: string | undefined
  readonly gitSha: string | undefined
  readonly root: string
}

/**
 * Inserts or updates a session row. A new row takes the next `seq` (the order sessions were recorded in,
 * which every "latest" and "previous" follows); an update keeps it.
 */
export async function upsertSession(database: Database, row: SessionRow): Promise<void> {
  await database.run(
    `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version, vitest_version,
       git_sha, root, seq) VALUES (?, make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?, ?, ?, ?, ?, ?,
       (SELECT coalesce(max(seq), 0) + 1 FROM sessions))
     ON CONFLICT (session_id) DO UPDATE SET
       ended_at = excluded.ended_at, status = excluded.status, gate_passed = excluded.gate_passed,
       git_sha = coalesce(excluded.git_sha, sessions.git_sha)`,
    [
      row.sessionId,
      row.startedAt.getTime() * 1000,
      row.endedAt === undefined ? null : row.endedAt.getTime() * 1000,
      row.status,
      row.gatePassed ?? null,
      row.strikesVersion,
      row.vitestVersion ?? null,
      row.gitSha ?? null,
      row.root,
    ],
  )
}
