/**
 * Session folders of the spool: `<spool root>/<session id>/` holds `session.json`, which process writes
 * it, and one folder per run. While that process lives, other processes leave the folder alone; once it
 * is gone, the next session ingests what it left.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'

/** The marker of a session folder. */
export interface SessionMarker {
  readonly session_id: string
  readonly pid: number
  readonly host: string
  readonly started_at: number
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

/** Creates a session folder marked as written by this process. */
export function writeSessionMarker(dir: string, sessionId: string, startedAt: Date): void {
  const marker: SessionMarker = {
    session_id: sessionId,
    pid: process.pid,
    host: hostname(),
    started_at: startedAt.getTime(),
  }
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, SESSION_MARKER_FILE), JSON.stringify(marker))
}

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
      : Date.now() - statSync(dir).mtimeMs > FOREIGN_IDLE_MS
    if (abandoned) found.push(dir)
  }
  return found
}
