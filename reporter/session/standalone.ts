/**
 * Recording a `withRun` session from a plain script: its spool is ingested like a Vitest session's (with
 * what earlier, interrupted sessions left) and its session row written. Loaded only when `withRun` is
 * given a `db`.
 */
import type { StandaloneSession } from '../../src/shared/main-process-entry.js'
import { DEFAULT_LOCK_TIMEOUT_MS } from '../store/defaults.js'
import { IngestQueue } from '../store/ingest-queue.js'
import { SessionRecorder } from './session-recorder.js'

/** Ingests a `withRun` session's spool into its database; throws (naming where the data is kept) on failure. */
export async function recordStandaloneSession(session: StandaloneSession): Promise<void> {
  const queue = new IngestQueue(session.db, DEFAULT_LOCK_TIMEOUT_MS)
  const recorder = new SessionRecorder(
    { queue, spoolRoot: session.spoolRoot, root: process.cwd(), vitestVersion: undefined },
    { id: session.sessionId, startedAt: session.startedAt, marked: true },
  )
  try {
    const result = await recorder.end(session.status, async () => ({
      gatePassed: undefined,
      value: undefined,
    }))
    if (result.errors.length > 0) throw result.errors[0]
  } finally {
    queue.release()
  }
}
