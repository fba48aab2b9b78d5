/**
 * Errors outside a run's tests that reach the reporter only at the end of the session — an unhandled
 * rejection Vitest attributes to a test file — added to the run's row after it was ingested: the text is
 * appended to `runs.error`, and a run that had `passed` (or was skipped or cancelled) becomes `failed`.
 */
import type { Database } from './database.js'

/** An error to add to the run of one file. */
export interface RunError {
  /** Absolute path of the test file (`runs.file`). */
  readonly file: string
  readonly text: string
}

/** Adds each error to the runs of its file in the session. */
export async function addRunErrors(
  database: Database,
  sessionId: string,
  errors: readonly RunError[],
): Promise<void> {
  for (const error of errors) {
    await database.run(
      `UPDATE runs SET
         error = CASE WHEN error IS NULL OR error = '' THEN ?1 ELSE error || chr(10) || chr(10) || ?1 END,
         status = CASE WHEN status IN ('passed', 'skipped', 'cancelled') THEN 'failed' ELSE status END
       WHERE session_id = ?2 AND file = ?3`,
      [error.text, sessionId, error.file],
    )
  }
}
