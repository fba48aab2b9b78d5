/**
 * Process-wide state of the SDK. It lives on `globalThis` under a registered symbol so that two copies
 * of this module in one worker (one loaded by Vitest's module runner, one by Node) share one state.
 */
import { createContextKey } from '@opentelemetry/api'
import type { Run } from './run.js'
import { DEFAULT_SETTINGS, type RecordingSettings } from './settings.js'

/** Context keys carried by the OpenTelemetry context (AsyncLocalStorage). */
export interface RuntimeKeys {
  /** The run of a `withRun` scope. */
  readonly run: symbol
  /** The innermost strikes span (`TaskSpan`). */
  readonly span: symbol
  /** The test scope (a Vitest test case) the code runs in. */
  readonly test: symbol
  /** The trial index of a `many`/count-form call. */
  readonly trial: symbol
}

export interface Runtime {
  /** The run of the current Vitest test file, if any. */
  fileRun: Run | undefined
  /** Open runs by id, so the span processor can route a span to its run's recorder. */
  readonly runs: Map<string, Run>
  /** Settings for runs opened from now on and for detached tasks. */
  settings: RecordingSettings
  /** True in a worker whose Vitest runner is strikes' (test spans come from the runner, not a hook). */
  testRunnerInstalled: boolean
  readonly keys: RuntimeKeys
}

const RUNTIME = Symbol.for('strikes.runtime.v1')

type GlobalWithRuntime = typeof globalThis & { [RUNTIME]?: Runtime }

function createRuntime(): Runtime {
  return {
    fileRun: undefined,
    runs: new Map(),
    settings: { ...DEFAULT_SETTINGS },
    testRunnerInstalled: false,
    keys: {
      run: createContextKey('strikes.run'),
      span: createContextKey('strikes.span'),
      test: createContextKey('strikes.test'),
      trial: createContextKey('strikes.trial'),
    },
  }
}

const scope = globalThis as GlobalWithRuntime
scope[RUNTIME] ??= createRuntime()

/** The process-wide SDK state. */
export const runtime: Runtime = scope[RUNTIME]
