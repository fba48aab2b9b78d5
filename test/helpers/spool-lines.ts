/** Spool record lines as a worker writes them, for tests that build records files by hand. */
import { SPOOL_FORMAT_VERSION } from '../../src/shared/spool/format.js'

/** A finished task span line: `name`, under `label`, status ok, no input key or trial. */
export function spanLine(id: string, name: string, label = 'task'): string {
  return JSON.stringify({
    t: 's',
    span_id: id,
    trace_id: 't'.repeat(32),
    parent_id: null,
    kind: 'task',
    name,
    label,
    tags: [],
    status: 'ok',
    error: null,
    started_at: 1_700_000_000_000_000,
    duration_ms: 1,
    attributes: {},
    input_key: null,
    trial: null,
  })
}

/** The start event of run `run` of session `session`, for file `name` of `project`. */
export function runStartEvent(project: string, name: string, run = 'run', session = 'session'): object {
  return {
    type: 'start',
    v: SPOOL_FORMAT_VERSION,
    run_id: run,
    session_id: session,
    project,
    name,
    file: name,
    started_at: 1_700_000_000_000_000,
    pid: 1,
    params: {},
    tags: [],
  }
}
