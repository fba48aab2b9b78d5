/**
 * What the SDK loads from the main-process side (`strikes/reporter`, see `src/main-process.ts`): the
 * reporters `--reporter=strikes` stands for, and the store a `withRun` script records into.
 */
import type { Reporter, Vitest } from 'vitest/node'
import type { RunStatus } from './spool/format.js'

/** A finished `withRun` session to record into its database. */
export interface StandaloneSession {
  readonly db: string
  readonly spoolRoot: string
  readonly sessionId: string
  readonly startedAt: Date
  readonly status: Extract<RunStatus, 'passed' | 'failed'>
}

/** What `strikes/reporter` provides to the SDK. */
export interface MainProcessEntry {
  /**
   * The reporters `--reporter=strikes` stands for, given the reporter's options: strikes' recorder, after
   * Vitest's default reporter when strikes is the only reporter (so Vitest's own output stays).
   */
  createReporters(vitest: Vitest, options: unknown, entry: object): Promise<Reporter[]>
  /** Ingests a `withRun` session's spool into its database and writes its session row. */
  recordStandaloneSession(session: StandaloneSession): Promise<void>
}
