/**
 * What the main process hands to test workers (through Vitest's `provide`/`inject`) so they record runs.
 */
import type { RecordingSettings } from './settings.js'

/** A regular expression as its source and flags (what crosses from the main process to workers). */
export interface IncludePattern {
  readonly source: string
  readonly flags: string
}

/** Bumped on incompatible changes between the reporter and the workers' setup file. */
export const WORKER_CONFIG_VERSION = 2

/** Key under which the reporter provides the worker configuration. */
export const WORKER_CONFIG_KEY = 'strikes'

/** The worker configuration of one session. */
export interface WorkerConfig {
  /** {@link WORKER_CONFIG_VERSION} of the reporter that provided it. */
  readonly version: typeof WORKER_CONFIG_VERSION
  readonly sessionId: string
  /** Root of the spool folders (`<db>.spool`). */
  readonly spoolRoot: string
  /** Vitest's root: run names are file paths relative to it. */
  readonly root: string
  /** The Vitest project's root: the include globs are relative to it. */
  readonly projectRoot: string
  /** The Vitest project the worker runs files of (`''` when unnamed). */
  readonly vitestProject: string
  /**
   * Eval files (absolute paths) another Vitest project also runs into the same database: their run name
   * carries this project's name (`evals/a.eval.ts [jsdom]`), so run names stay unique in the database.
   */
  readonly qualifiedFiles: readonly string[]
  /** Project recorded on each run. */
  readonly project: string
  /** Globs (relative to `projectRoot`) of the test files that are runs; other test files are not recorded. */
  readonly include: readonly string[]
  /**
   * The `include` globs as one regular expression, compiled by the main process (see
   * `reporter/vitest/include-pattern.ts`), so a worker tests its file without loading a glob library.
   */
  readonly includePattern: IncludePattern
  /** The session's DuckDB file (workers never open it; caches and other files live beside it). */
  readonly dbPath: string
  /** OTLP export: `undefined` follows the `OTEL_EXPORTER_OTLP_*` environment variables, `false` disables. */
  readonly otlp: boolean | undefined
  /** `otlp: { content }`: whether content goes with exported spans; absent or `undefined` follows the environment. */
  readonly otlpContent?: boolean | undefined
  readonly settings: RecordingSettings
}

declare module 'vitest' {
  interface ProvidedContext {
    strikes: WorkerConfig | undefined
  }
}
