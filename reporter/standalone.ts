/**
 * Recording a `withRun` session from a plain script: its spool is ingested like a Vitest session's and
 * a session row is written. Loaded only when `withRun` is given a `db`.
 */
import { existsSync, rmSync } from 'node:fs'
import { gitSha } from './git.js'
import { strikesVersion } from './package-info.js'
import { IngestQueue } from './store/ingest-queue.js'
import { upsertSession } from './store/sessions.js'
import { readSpoolRun, runFolders, sessionSpoolDir } from './store/spool-reader.js'

/** A finished `withRun` session to record. */
export interface StandaloneSession {
  readonly db: string
  readonly spoolRoot: string
  readonly sessionId: string
  readonly startedAt: Date
  readonly status: 'passed' | 'failed'
  readonly lockTimeoutMs?: number
}

/** Ingests a `withRun` session's spool into its database; throws (naming where the data is kept) on failure. */
export async function ingestStandaloneSession(session: StandaloneSession): Promise<void> {
  const dir = sessionSpoolDir(session.spoolRoot, session.sessionId)
  const queue = new IngestQueue(session.db, session.lockTimeoutMs ?? 120_000)
  for (const runDir of runFolders(dir)) {
    const run = readSpoolRun(runDir)
    if (run !== undefined) queue.enqueue({ run, outcome: { status: run.end?.status ?? 'crashed' } })
  }
  await queue.drain()
  await queue.withDatabase((database) =>
    upsertSession(database, {
      sessionId: session.sessionId,
      startedAt: session.startedAt,
      endedAt: new Date(),
      status: session.status,
      gatePassed: undefined,
      strikesVersion: strikesVersion(),
      vitestVersion: undefined,
      gitSha: gitSha(process.cwd()),
      root: process.cwd(),
    }),
  )
  if (queue.errors.length > 0) throw queue.errors[0]
  if (existsSync(dir) && runFolders(dir).length === 0) rmSync(dir, { recursive: true, force: true })
}
