/**
 * The reporter side of the spool: finding session and run folders, reading run events, dropping a
 * partial last line left by a killed writer, repairing text DuckDB cannot read, and telling leftover
 * sessions (their process died) from sessions still being written by another process.
 */
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import {
  type RunEndEventV1,
  type RunEventV1,
  type RunStartEventV1,
  SPOOL_FILES,
  SPOOL_FORMAT_VERSION,
} from '../../src/record.js'
import { SESSION_MARKER_FILE, type SessionMarker } from '../../src/session-marker.js'

/** A run folder read from the spool. */
export interface SpoolRun {
  readonly dir: string
  readonly runId: string
  readonly start: RunStartEventV1
  readonly params: Record<string, unknown>
  readonly tags: string[]
  /** Absent when the writer never finished (crashed). */
  readonly end: RunEndEventV1 | undefined
}

export { type SessionMarker, sessionSpoolDir, writeSessionMarker } from '../../src/session-marker.js'

/** Reads a session folder's marker, if any. */
export function readSessionMarker(dir: string): SessionMarker | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, SESSION_MARKER_FILE), 'utf8')) as SessionMarker
  } catch {
    return undefined
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Session folders under the spool root left behind by processes that are gone (killed during ingest,
 * or a lock that never freed); `except` is the caller's own session. A folder whose writer is alive is
 * left alone; one without a marker, or written from another host, counts once idle for ten minutes.
 */
export function leftoverSessions(spoolRoot: string, except?: string): string[] {
  if (!existsSync(spoolRoot)) return []
  const found: string[] = []
  for (const entry of readdirSync(spoolRoot, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === except) continue
    const dir = join(spoolRoot, entry.name)
    const marker = readSessionMarker(dir)
    const local = marker !== undefined && marker.host === hostname()
    const abandoned = local
      ? marker.pid === process.pid || !processAlive(marker.pid)
      : Date.now() - statSync(dir).mtimeMs > 10 * 60_000
    if (abandoned) found.push(dir)
  }
  return found
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
  let start: RunStartEventV1 | undefined
  let end: RunEndEventV1 | undefined
  const params: Record<string, unknown> = {}
  const tags: string[] = []
  for (const line of lines) {
    let event: RunEventV1
    try {
      event = JSON.parse(line) as RunEventV1
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

/**
 * A JSON escape: `\uXXXX` of a high surrogate (with the low surrogate escape that pairs it, if any), of a
 * low surrogate, or any other escape (kept as it is; matching it whole keeps `\\ud800` — an escaped
 * backslash followed by text — from being read as a surrogate).
 */
const JSON_ESCAPE =
  /\\(?:(u[dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|(u[dD][c-fC-F][0-9a-fA-F]{2})|[\s\S])/g
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * JSON text DuckDB can read: a lone UTF-16 surrogate — escaped (`"\ud800"`, as `JSON.stringify` writes a
 * string cut inside an emoji) or raw — becomes U+FFFD. DuckDB refuses such text, and would refuse the
 * whole file holding it.
 */
export function wellFormedJsonText(text: string): string {
  const raw = text.replace(LONE_SURROGATE, '\uFFFD')
  if (!SURROGATE_ESCAPE.test(raw)) return raw
  return raw.replace(JSON_ESCAPE, (sequence, high?: string, low?: string, lone?: string) =>
    (high !== undefined && low === undefined) || lone !== undefined ? '\\ufffd' : sequence,
  )
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** One line of a spool file as DuckDB can read it, or `undefined` when it already can. */
function repairedLine(bytes: Buffer): string | undefined {
  let text: string
  try {
    text = UTF8.decode(bytes)
  } catch {
    // Invalid UTF-8: each bad sequence becomes U+FFFD.
    return wellFormedJsonText(bytes.toString('utf8'))
  }
  if (!SURROGATE_ESCAPE.test(text)) return undefined
  const repaired = wellFormedJsonText(text)
  return repaired === text ? undefined : repaired
}

/**
 * Rewrites a spool file in place so that DuckDB's JSON reader accepts its text (see `wellFormedJsonText`;
 * invalid UTF-8 also becomes U+FFFD); returns how many lines were changed. Lines are otherwise kept byte
 * for byte, and the file is replaced by a rename only when something changed.
 */
export function repairSpoolFile(file: string): number {
  const size = statSync(file).size
  const temporary = `${file}.repair`
  const input = openSync(file, 'r')
  let output: number | undefined
  let changed = 0
  try {
    output = openSync(temporary, 'w')
    const chunk = Buffer.alloc(1024 * 1024)
    let pieces: Buffer[] = []
    let position = 0
    const writeLine = (line: Buffer): void => {
      const repaired = repairedLine(line)
      if (repaired !== undefined) changed += 1
      writeAll(output as number, repaired === undefined ? line : Buffer.from(repaired))
    }
    while (position < size) {
      const read = readSync(input, chunk, 0, chunk.length, position)
      if (read === 0) break
      position += read
      let start = 0
      for (
        let newline = chunk.indexOf(0x0a, 0);
        newline !== -1 && newline < read;
        newline = chunk.indexOf(0x0a, start)
      ) {
        pieces.push(Buffer.from(chunk.subarray(start, newline)))
        writeLine(Buffer.concat(pieces))
        writeAll(output, NEWLINE)
        pieces = []
        start = newline + 1
      }
      if (start < read) pieces.push(Buffer.from(chunk.subarray(start, read)))
    }
    if (pieces.length > 0) writeLine(Buffer.concat(pieces))
  } finally {
    closeSync(input)
    if (output !== undefined) closeSync(output)
  }
  if (changed > 0) renameSync(temporary, file)
  else rmSync(temporary, { force: true })
  return changed
}

const NEWLINE = Buffer.from('\n')

function writeAll(fd: number, buffer: Buffer): void {
  let offset = 0
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset)
}
