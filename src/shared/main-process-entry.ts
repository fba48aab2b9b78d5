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

/**
 * Where the plugin (loaded by Node itself, with the config) leaves a loader of `strikes/reporter` that
 * Vite's module runner cannot intercept: `vitest --merge-reports` restores the shards' module graph into
 * the runner, which then hands the reporter an empty `strikes/reporter`.
 */
export const NATIVE_MAIN_PROCESS_LOADER = Symbol.for('strikes.main-process-loader.v1')

/** `globalThis` with the loader the plugin may have left. */
export type GlobalWithMainProcessLoader = typeof globalThis & {
  [NATIVE_MAIN_PROCESS_LOADER]?: () => Promise<MainProcessEntry>
}
