/**
 * Opening and closing recorded runs: a run's spool folder, and its start and end events.
 */
import { randomUUID } from 'node:crypto'
import { epochMs } from './clock.js'
import { setEntry } from './own-entry.js'
import { Recorder } from './recorder.js'
import { Run } from './run.js'
import { canonicalJson } from './serialise.js'
import type { RecordingSettings } from './shared/settings.js'
import { type EndedRunStatus, SPOOL_FORMAT_VERSION, toMicros } from './shared/spool/format.js'
import { runSpoolDir } from './shared/spool/session-marker.js'
import { SpoolWriter } from './shared/spool/writer.js'
import { cancelOpenSpans } from './test-scope.js'

/** What a run is opened with. */
export interface OpenRunOptions {
  readonly name: string
  readonly project: string
  readonly file: string
  /** The Vitest project that runs the file (so the reporter matches the run to its test module). */
  readonly vitestProject?: string
  readonly sessionId: string
  readonly settings: RecordingSettings
  /** Root of the spool; the run writes to `<spoolRoot>/<sessionId>/<runId>/`. Omit to record nothing. */
  readonly spoolRoot?: string
  readonly params?: Record<string, unknown>
  readonly tags?: readonly string[]
}

/** Opens a run: creates its spool (when recording) and writes its start event. */
export function openRun(options: OpenRunOptions): Run {
  const id = randomUUID()
  let recorder: Recorder | undefined
  if (options.spoolRoot !== undefined) {
    const spool = new SpoolWriter(runSpoolDir(options.spoolRoot, options.sessionId, id), {
      onError: (error) => console.error(error.message),
      now: epochMs,
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
    ...(options.vitestProject === undefined ? {} : { vitest_project: options.vitestProject }),
    started_at: toMicros(epochMs()),
    pid: process.pid,
    params: Object.fromEntries(
      Object.entries(run.params).map(([key, value]) => [key, JSON.parse(canonicalJson(value))]),
    ),
    tags: [...run.tags],
  })
  return run
}

/**
 * Closes a run: ends what is still open in it as cancelled, flushes its records and writes its end event
 * with its status and the text of any error outside its tests (cut to `maxObjectBytes`). Throws when the
 * spool could not be written (after keeping what was flushed), so the failure is visible where the run ends.
 */
export function closeRun(run: Run, status: EndedRunStatus, error?: string): void {
  cancelOpenSpans(run.scope, `run "${run.name}"`)
  const recorder = run.recorder
  if (recorder === undefined) return
  recorder.flush()
  recorder.recordRunEvent({
    type: 'end',
    ended_at: toMicros(epochMs()),
    status,
    ...(error === undefined ? {} : { error: boundedText(error, run.settings.maxObjectBytes) }),
  })
  recorder.spool.close()
  if (recorder.spool.error !== undefined) {
    throw new Error(
      `${recorder.spool.error.message} (${recorder.spool.droppedRecords} records of run "${run.name}" could not be written)`,
      { cause: recorder.spool.error },
    )
  }
}

/** Text cut to at most `maxBytes` bytes of UTF-8 (by characters, conservatively), saying how long it was. */
function boundedText(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || Buffer.byteLength(text) <= maxBytes) return text
  let keep = Math.max(0, Math.floor(maxBytes / 3) - 64)
  // Never end inside a surrogate pair.
  if (keep > 0 && /[\uD800-\uDBFF]/.test(text.charAt(keep - 1))) keep -= 1
  return `${text.slice(0, keep)}… (cut; ${text.length} characters in all)`
}
