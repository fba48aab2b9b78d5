/**
 * Eval files a cancelled session (`--bail`, Ctrl-C) had selected but never started: each gets a run row
 * with status `cancelled` and no spans, so the database says the file was cancelled rather than leaving
 * it out, and its gates are `not run`.
 */
import type { Database } from './database.js'

/** Adds a `cancelled` run for every selected file of the session (in `session_files`) that has no run. */
export async function addUnstartedRuns(database: Database, sessionId: string, at: Date): Promise<void> {
  await database.run(
    `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms,
       params, tags, error)
     SELECT uuid()::VARCHAR, f.session_id, f.project, f.name, f.file, 'cancelled', make_timestamp(?2::BIGINT),
       make_timestamp(?2::BIGINT), 0, '{}'::JSON, []::VARCHAR[], NULL
     FROM session_files f
     WHERE f.session_id = ?1 AND f.selected
       AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.session_id = f.session_id AND r.name = f.name
                       AND r.project IS NOT DISTINCT FROM f.project)`,
    [sessionId, at.getTime() * 1000],
  )
}
