/**
 * `withRun`: a run outside Vitest, for plain scripts — the same semantics as an `.eval.ts` file, recorded
 * to DuckDB when `db` is given.
 */
import { randomUUID } from 'node:crypto'
import { resolve } from 'node:path'
import { activeFrame, runInFrame } from './current.js'
import { loadMainProcess } from './main-process.js'
import type { MetricSummary } from './metrics.js'
import type { Run, RunInfo } from './run.js'
import { closeRun, openRun } from './run-lifecycle.js'
import { runtime } from './runtime.js'
import { type RecordingSettings, trialsFromEnv } from './shared/settings.js'
import { sessionSpoolDir, writeSessionMarker } from './shared/spool/session-marker.js'

/** Options of `withRun`. */
export interface WithRunOptions extends Partial<RecordingSettings> {
  /** The run's name. */
  name: string
  /** Project the run belongs to; default: the `name` in the working directory's package.json, else 'default'. */
  project?: string
  /** Recorded as `runs.file`; default: the name. */
  file?: string
  params?: Record<string, unknown>
  tags?: string[]
  /** A DuckDB file to record the run in (created when missing); omit to keep everything in memory. */
  db?: string
}

/** The run given to a `withRun` callback. */
export interface RunHandle extends RunInfo {
  readonly params: Readonly<Record<string, unknown>>
  readonly tags: readonly string[]
  /** Count / avg / min / max / last of every run-level metric series so far. */
  metricSummary(): Record<string, MetricSummary>
}

/** Runs `fn` inside a new run; records it to `db` when given. Resolves with what `fn` returns. */
export async function withRun<T>(
  options: WithRunOptions,
  fn: (run: RunHandle) => T | Promise<T>,
): Promise<T> {
  if (
    typeof options !== 'object' ||
    options === null ||
    typeof options.name !== 'string' ||
    options.name === ''
  ) {
    throw new TypeError('strikes: withRun needs options with a non-empty `name`')
  }
  if (typeof fn !== 'function')
    throw new TypeError(`strikes: withRun "${options.name}" needs a function to run`)
  const { name, project, file, params, tags, db, ...settings } = options
  const sessionId = randomUUID()
  const dbPath = db === undefined ? undefined : resolve(db)
  const spoolRoot = dbPath === undefined ? undefined : `${dbPath}.spool`
  const startedAt = new Date()
  // Marked as this process's: if the ingest below fails, the next session picks the spool up at once.
  if (spoolRoot !== undefined) writeSessionMarker(sessionSpoolDir(spoolRoot, sessionId), sessionId, startedAt)
  const run: Run = openRun({
    name,
    project: project ?? (await packageName()) ?? 'default',
    file: file ?? name,
    sessionId,
    settings: {
      ...runtime.settings,
      ...settings,
      trials: trialsFromEnv() ?? settings.trials ?? runtime.settings.trials,
    },
    spoolRoot,
    params,
    tags,
  })
  let status: 'passed' | 'failed' = 'passed'
  try {
    return await runInFrame({ ...activeFrame(), run }, () => fn(run))
  } catch (error) {
    status = 'failed'
    throw error
  } finally {
    closeRun(run, status)
    await runtime.exporter?.flush()
    if (dbPath !== undefined && spoolRoot !== undefined) {
      // The store is main-process code (the only code that touches DuckDB), loaded only when recording.
      const { recordStandaloneSession } = await loadMainProcess()
      await recordStandaloneSession({ db: dbPath, spoolRoot, sessionId, startedAt, status })
    }
  }
}

async function packageName(): Promise<string | undefined> {
  try {
    const { readFile } = await import('node:fs/promises')
    const json = JSON.parse(await readFile(resolve('package.json'), 'utf8')) as { name?: unknown }
    return typeof json.name === 'string' ? json.name : undefined
  } catch {
    return undefined
  }
}
