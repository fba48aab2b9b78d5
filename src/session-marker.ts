/**
 * A session's spool folder holds `session.json`: which process writes it. While that process lives, other
 * processes leave the folder alone; once it is gone, the next session ingests what it left.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
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

/** Folder of a session inside the spool root. */
export function sessionSpoolDir(spoolRoot: string, sessionId: string): string {
  return join(spoolRoot, sessionId)
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
