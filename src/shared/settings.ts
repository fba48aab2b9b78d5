/**
 * Settings the SDK reads in a worker: defaults, overridden by the plugin's options (validated in the main
 * process and handed to workers through Vitest's `provide`/`inject`) or by `withRun`.
 */

/** Default largest stored value, in bytes of canonical JSON. */
export const DEFAULT_MAX_OBJECT_BYTES = 1024 * 1024

/** Settings that shape how tasks record. */
export interface RecordingSettings {
  /** Tasks log their arguments and return value unless a task says otherwise. */
  autolog: boolean
  /** Default concurrency of `map`/`many` when neither the call nor the task sets one. */
  concurrency: number
  /** Largest stored value, in bytes of JSON. */
  maxObjectBytes: number
  /** A scorer that has not answered after this many milliseconds scores 0. */
  scorerTimeoutMs: number
  /** Milliseconds between progress lines of a long `map`/`many`/`streamMap` batch; 0 turns them off. */
  progressMs: number
  /** Calls per item of the map family (`map`, `mapRun`, `tryMap`, `tryMapRun`, `streamMap`) that do not say. */
  trials: number
}

/** Built-in defaults. */
export const DEFAULT_SETTINGS: Readonly<RecordingSettings> = Object.freeze({
  autolog: true,
  concurrency: 16,
  maxObjectBytes: DEFAULT_MAX_OBJECT_BYTES,
  scorerTimeoutMs: 60_000,
  progressMs: 5_000,
  trials: 1,
})

/**
 * The trials `STRIKES_TRIALS` asks for (a positive integer: a nightly job runs `STRIKES_TRIALS=5 npx vitest
 * run`), `undefined` when unset; throws naming the variable when it is set to anything else.
 */
export function trialsFromEnv(
  env: Readonly<Record<string, string | undefined>> = process.env,
): number | undefined {
  const given = env.STRIKES_TRIALS
  if (given === undefined || given.trim() === '') return undefined
  const trials = Number(given)
  if (!Number.isInteger(trials) || trials < 1) {
    throw new TypeError(`strikes: STRIKES_TRIALS must be a positive integer, got ${JSON.stringify(given)}`)
  }
  return trials
}
