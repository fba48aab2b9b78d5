/**
 * Process-wide state of the SDK — the one registry it keeps on `globalThis`, under a registered symbol,
 * so that two copies of this module in one worker (one loaded by Vitest's module runner, one by Node)
 * share one state.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import type { Frame } from './frame.js'
import type { Run } from './run.js'
import { DEFAULT_SETTINGS, type RecordingSettings } from './shared/settings.js'
import type { SpanExport } from './span-export.js'

/** The SDK's process-wide state. */
export interface Runtime {
  /** The run of the current Vitest test file, if any. */
  fileRun: Run | undefined
  /** The open runs of the test files this worker collected and has not finished, by Vitest file id. */
  readonly fileRuns: Map<string, Run>
  /** Settings for runs opened from now on and for detached tasks. */
  settings: RecordingSettings
  /** True in a worker whose Vitest runner is strikes' (test spans come from the runner, not a hook). */
  testRunnerInstalled: boolean
  /** The frame code runs in (run, span, test, trial), carried across `await`. */
  readonly frames: AsyncLocalStorage<Frame>
  /** Where ended spans go while OTLP export is on. */
  exporter: SpanExport | undefined
  /** Whether OTLP export was set up in this process (the collector's URL), so it happens once. */
  otlpUrl: string | undefined
}

const RUNTIME = Symbol.for('strikes.runtime.v2')

type GlobalWithRuntime = typeof globalThis & { [RUNTIME]?: Runtime }

const scope = globalThis as GlobalWithRuntime
scope[RUNTIME] ??= {
  fileRun: undefined,
  fileRuns: new Map(),
  settings: { ...DEFAULT_SETTINGS },
  testRunnerInstalled: false,
  frames: new AsyncLocalStorage<Frame>(),
  exporter: undefined,
  otlpUrl: undefined,
}

/** The process-wide SDK state. */
export const runtime: Runtime = scope[RUNTIME]
