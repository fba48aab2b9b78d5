/**
 * The reading side of the spool (used by the reporter): run folders of a session, a run's events
 * (version-checked), and its records file with a partial last line — left by a writer killed mid-batch —
 * dropped.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  truncateSync,
} from 'node:fs'
import { join } from 'node:path'
import {
  type RunEndEvent,
  type RunEvent,
  type RunStartEvent,
  SPOOL_FILES,
  SPOOL_FORMAT_VERSION,
} from './format.js'

/** A run folder read from the spool. */
export interface SpoolRun {
  readonly dir: string
  readonly runId: string
  readonly start: RunStartEvent
  readonly params: Record<string, unknown>
  readonly tags: string[]
  /** Absent when the writer never finished (crashed). */
  readonly end: RunEndEvent | undefined
}

/** Run folders of a session folder. */
export function runFolders(sessionDir: string): string[] {
  if (!existsSync(sessionDir)) return []
  return readdirSync(sessionDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(sessionDir, entry.name))
}

/** Reads a run folder's events; `undefined` when it has no complete start event. */
export function readSpoolRun(dir: string): SpoolRun | undefined {
  const file = join(dir, SPOOL_FILES.run)
  if (!existsSync(file)) return undefined
  const lines = completeLines(readFileSync(file, 'utf8'))
  let start: RunStartEvent | undefined
  let end: RunEndEvent | undefined
  const params: Record<string, unknown> = {}
  const tags: string[] = []
  for (const line of lines) {
    let event: RunEvent
    try {
      event = JSON.parse(line) as RunEvent
    } catch {
      continue
    }
    if (event.type === 'start') {
      if (event.v !== SPOOL_FORMAT_VERSION) {
        throw new Error(
          `strikes: the spool folder ${dir} has format version ${String(event.v)}, but this strikes reads version ${SPOOL_FORMAT_VERSION}`,
        )
      }
      start = event
      Object.assign(params, event.params)
      tags.push(...event.tags)
    } else if (event.type === 'param') {
      params[event.key] = JSON.parse(event.value)
    } else if (event.type === 'tag') {
      for (const item of event.tags) if (!tags.includes(item)) tags.push(item)
    } else if (event.type === 'end') {
      end = event
    }
  }
  if (start === undefined) return undefined
  return { dir, runId: start.run_id, start, params, tags, end }
}

function completeLines(text: string): string[] {
  const lastNewline = text.lastIndexOf('\n')
  if (lastNewline === -1) return []
  return text
    .slice(0, lastNewline)
    .split('\n')
    .filter((line) => line.length > 0)
}

/** Path of a run folder's records file (a torn last line dropped), or `undefined` when it wrote none. */
export function recordsFile(run: SpoolRun): string | undefined {
  const file = join(run.dir, SPOOL_FILES.records)
  if (!existsSync(file)) return undefined
  dropPartialLastLine(file)
  return statSync(file).size > 0 ? file : undefined
}

/** Cuts a file back to its last newline (a writer killed mid-batch leaves a partial line). */
export function dropPartialLastLine(file: string): void {
  const size = statSync(file).size
  if (size === 0) return
  const fd = openSync(file, 'r')
  let cut = 0
  try {
    const chunk = Buffer.alloc(64 * 1024)
    let end = size
    let first = true
    while (end > 0) {
      const start = Math.max(0, end - chunk.length)
      const length = end - start
      readSync(fd, chunk, 0, length, start)
      if (first && chunk[length - 1] === 0x0a) return
      first = false
      const index = chunk.subarray(0, length).lastIndexOf(0x0a)
      if (index !== -1) {
        cut = start + index + 1
        break
      }
      end = start
    }
  } finally {
    closeSync(fd)
  }
  truncateSync(file, cut)
}

/** Removes a run folder (after its records were committed). */
export function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}
