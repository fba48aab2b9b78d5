/**
 * Session folders of the spool: `<spool root>/<session id>/` holds `session.json`, which process writes
 * it, and one folder per run. While that process lives, other processes leave the folder alone; once it
 * is gone, the next session ingests what it left. A session folder strikes did not create in this
 * process is read only when it is a real folder owned by this user (see `spool-safety.ts`).
 */
import {
  closeSync,
  constants,
  type Dirent,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { makeFolder } from '../make-folder.js'
import { openTrustedSpoolFile, type RefusedSpoolPath, untrustedSpoolPath } from './spool-safety.js'

/** How a session that could not be ingested ended, kept for the session that ingests it later. */
export interface SessionEnding {
  /** Vitest's reason (`passed`, `failed`, `interrupted`) or a `withRun` callback's outcome. */
  readonly status: string
  readonly ended_at: number
  readonly git_sha?: string
}

/** The marker of a session folder. */
export interface SessionMarker {
  readonly session_id: string
  readonly pid: number
  readonly host: string
  readonly started_at: number
  /** What the session's gates are evaluated with (JSON), so a later session that ingests it can gate it. */
  readonly gates?: unknown
  /** Present once the session ended without its runs all reaching the database. */
  readonly ended?: SessionEnding
}

/** File name of the marker inside a session folder. */
export const SESSION_MARKER_FILE = 'session.json'

/** How long a session folder without a live local writer must be idle before another session takes it. */
const FOREIGN_IDLE_MS = 10 * 60_000

/** Folder of a session inside the spool root. */
export function sessionSpoolDir(spoolRoot: string, sessionId: string): string {
  return join(spoolRoot, sessionId)
}

/** Folder of one run's spool. */
export function runSpoolDir(spoolRoot: string, sessionId: string, runId: string): string {
  return join(spoolRoot, sessionId, runId)
}

/**
 * Creates a session folder marked as written by this process. Throws one clear error when the spool
 * cannot be created (a read-only folder, a file in the way) or the folder is not one strikes trusts.
 */
export function writeSessionMarker(
  dir: string,
  sessionId: string,
  startedAt: Date,
  extra: { readonly gates?: unknown } = {},
): void {
  const marker: SessionMarker = {
    session_id: sessionId,
    pid: process.pid,
    host: hostname(),
    started_at: startedAt.getTime(),
    ...(extra.gates === undefined ? {} : { gates: extra.gates }),
  }
  makeFolder(dir, 'the spool folder')
  const reason = untrustedSpoolPath(dir, 'folder')
  if (reason !== undefined) throw new Error(`strikes: cannot use the spool folder ${dir}: ${reason}`)
  writeMarkerFile(dir, marker)
}

/** Writes the marker through a new temporary file and a rename (never through a link at either name). */
function writeMarkerFile(dir: string, marker: SessionMarker): void {
  const temporary = join(dir, `.${SESSION_MARKER_FILE}.${process.pid}.tmp`)
  rmSync(temporary, { force: true })
  const fd = openTrustedSpoolFile(temporary, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL)
  try {
    writeSync(fd, JSON.stringify(marker))
  } finally {
    closeSync(fd)
  }
  renameSync(temporary, join(dir, SESSION_MARKER_FILE))
}

/** Records in a session's marker how it ended, when its runs did not all reach the database. */
export function markSessionEnded(dir: string, ending: SessionEnding): void {
  const marker = readSessionMarker(dir)
  if (marker === undefined) return
  try {
    writeMarkerFile(dir, { ...marker, ended: ending })
  } catch {
    // The folder is gone or unwritable: the session is taken as interrupted, which loses no data.
  }
}

/** Reads a session folder's marker, if any (never through a link, never another user's). */
export function readSessionMarker(dir: string): SessionMarker | undefined {
  let fd: number
  try {
    fd = openTrustedSpoolFile(join(dir, SESSION_MARKER_FILE), constants.O_RDONLY)
  } catch {
    return undefined
  }
  try {
    const marker = JSON.parse(readFileSync(fd, 'utf8')) as SessionMarker
    return typeof marker === 'object' && marker !== null ? marker : undefined
  } catch {
    return undefined
  } finally {
    closeSync(fd)
  }
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Session folders left behind by processes that are gone, and entries of the spool root strikes refuses. */
export interface LeftoverScan {
  readonly sessions: string[]
  readonly refused: RefusedSpoolPath[]
}

/**
 * Session folders under the spool root left behind by processes that are gone (killed during ingest,
 * or a lock that never freed); `except` is the caller's own session. A folder whose writer is alive is
 * left alone; one without a marker, or written from another host, counts once idle for ten minutes.
 * Links, files and folders of other users are refused (listed, never read).
 */
export function scanLeftoverSessions(spoolRoot: string, except?: string): LeftoverScan {
  const scan: LeftoverScan = { sessions: [], refused: [] }
  let entries: Dirent[]
  try {
    entries = readdirSync(spoolRoot, { withFileTypes: true })
  } catch {
    return scan
  }
  for (const entry of entries) {
    if (entry.name === except) continue
    const dir = join(spoolRoot, entry.name)
    const reason = untrustedSpoolPath(dir, 'folder')
    if (reason !== undefined) {
      scan.refused.push({ path: dir, reason })
      continue
    }
    const marker = readSessionMarker(dir)
    const local = marker !== undefined && marker.host === hostname()
    let abandoned: boolean
    try {
      abandoned = local
        ? marker.pid === process.pid || !processAlive(marker.pid)
        : Date.now() - statSync(dir).mtimeMs > FOREIGN_IDLE_MS
    } catch {
      continue
    }
    if (abandoned) scan.sessions.push(dir)
  }
  return scan
}

/** Session folders left behind by processes that are gone (see {@link scanLeftoverSessions}). */
export function leftoverSessions(spoolRoot: string, except?: string): string[] {
  return scanLeftoverSessions(spoolRoot, except).sessions
}
