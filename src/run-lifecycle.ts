/**
 * Opening and closing recorded runs: a run's spool folder, its start and end events, and its place in
 * the registry the span processor routes spans through.
 */
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { setEntry } from './own-entry.js'
import { SPOOL_FORMAT_VERSION, toMicros } from './record.js'
import { Recorder } from './recorder.js'
import { Run } from './run.js'
import { runtime } from './runtime.js'
import { canonicalJson } from './serialise.js'
import type { RecordingSettings } from './settings.js'
import { cancelOpenSpans } from './span-lifecycle.js'
import { SpoolWriter } from './spool.js'

/** What a run is opened with. */
export interface OpenRunOptions {
  readonly name: string
  readonly project: string
  readonly file: string
  readonly sessionId: string
  readonly settings: RecordingSettings
  /** Root of the spool; the run writes to `<spoolRoot>/<sessionId>/<runId>/`. Omit to record nothing. */
  readonly spoolRoot?: string
  readonly params?: Record<string, unknown>
  readonly tags?: readonly string[]
}

/** Folder of one run's spool. */
export function runSpoolDir(spoolRoot: string, sessionId: string, runId: string): string {
  return join(spoolRoot, sessionId, runId)
}

/** Opens a run: creates its spool (when recording), writes its start event and registers it. */
export function openRun(options: OpenRunOptions): Run {
  const id = randomUUID()
  let recorder: Recorder | undefined
  if (options.spoolRoot !== undefined) {
    const spool = new SpoolWriter(runSpoolDir(options.spoolRoot, options.sessionId, id), {
      onError: (error) => console.error(error.message),
    })
    recorder = new Recorder(id, spool, options.settings.maxObjectBytes)
  }
  const run = new Run({ ...options, id }, options.settings, recorder)
  for (const [key, value] of Object.entries(options.params ?? {})) setEntry(run.params, key, value)
  run.tags.push(...(options.tags ?? []))
  run.recorder?.recordRunEvent({
    type: 'start',
    v: SPOOL_FORMAT_VERSION,
    run_id: run.id,
    session_id: run.sessionId,
    project: run.project,
    name: run.name,
    file: run.file,
    started_at: toMicros(Date.now()),
    pid: process.pid,
    params: Object.fromEntries(
      Object.entries(run.params).map(([key, value]) => [key, JSON.parse(canonicalJson(value))]),
    ),
    tags: [...run.tags],
  })
  runtime.runs.set(run.id, run)
  return run
}

/**
 * Closes a run: flushes its records, writes its end event and unregisters it. Throws when the spool could
 * not be written (after keeping what was flushed), so the failure is visible where the run ends.
 */
export function closeRun(run: Run, status: 'passed' | 'failed'): void {
  cancelOpenSpans(run.scope, `run "${run.name}"`)
  runtime.runs.delete(run.id)
  const recorder = run.recorder
  if (recorder === undefined) return
  recorder.flush()
  recorder.recordRunEvent({ type: 'end', ended_at: toMicros(Date.now()), status })
  recorder.spool.close()
  if (recorder.spool.error !== undefined) {
    throw new Error(
      `${recorder.spool.error.message} (${recorder.spool.droppedRecords} records of run "${run.name}" could not be written)`,
      { cause: recorder.spool.error },
    )
  }
}
