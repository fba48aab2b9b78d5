/**
 * Session rows built from what a session knows at its start, and the sessions an earlier process left in
 * the spool (interrupted during ingest, or whose own ingest failed on a lock or a full disk): their rows,
 * from their markers, and their gates, evaluated once the next session has ingested their runs.
 */
import { basename } from 'node:path'
import type { SessionMarker } from '../../src/shared/spool/session-marker.js'
import { parseGateConfig, type SessionGateConfig } from '../gate/gate-config.js'
import { strikesVersion } from '../package-info.js'
import type { Database } from '../store/database.js'
import { type SessionRow, upsertSession } from '../store/sessions.js'

/** Where a session is recorded, as far as its row goes. */
export interface SessionWhere {
  /** The Vitest root, or the script's working directory. */
  readonly root: string
  readonly vitestVersion: string | undefined
}

/** A session an earlier process left in the spool. */
export interface Leftover {
  readonly dir: string
  readonly row: SessionRow
}

/**
 * A leftover session's row: how it ended when its marker says so, else `interrupted`; and the gate
 * configuration its marker kept (a malformed one is left out: the session is then not gated).
 */
export function leftoverRow(place: SessionWhere, dir: string, marker: SessionMarker | undefined): SessionRow {
  const id = typeof marker?.session_id === 'string' ? marker.session_id : basename(dir)
  const started = new Date(typeof marker?.started_at === 'number' ? marker.started_at : Date.now())
  const ended = marker?.ended
  const row: SessionRow = {
    ...sessionRow(place, id, started, typeof ended?.status === 'string' ? ended.status : 'interrupted'),
    gateConfig: markedGates(marker?.gates, id),
  }
  if (ended === undefined || typeof ended.ended_at !== 'number') return row
  return {
    ...row,
    endedAt: new Date(ended.ended_at),
    gitSha: typeof ended.git_sha === 'string' ? ended.git_sha : undefined,
  }
}

/** The gate configuration a session marker kept, checked; `undefined` when absent or malformed. */
function markedGates(gates: unknown, sessionId: string): SessionGateConfig[] | undefined {
  if (gates === undefined) return undefined
  try {
    return parseGateConfig(JSON.stringify(gates), sessionId)
  } catch {
    return undefined
  }
}

/**
 * Evaluates and records the gates of a leftover session (each project's thresholds, baseline and strict,
 * as its marker kept them) and its verdict; returns a line to print, or `undefined` when it had none.
 */
export async function regate(database: Database, row: SessionRow): Promise<string | undefined> {
  const configs = row.gateConfig as readonly SessionGateConfig[] | undefined
  if (configs === undefined || configs.length === 0) return undefined
  const { evaluateSessionGates } = await import('../gate/session-gates.js')
  try {
    const outcome = await evaluateSessionGates(database, { sessionId: row.sessionId, configs })
    if (outcome.passed === undefined) return undefined
    await upsertSession(database, { ...row, gatePassed: outcome.passed })
    return `strikes: the gates of session ${row.sessionId}, whose runs were ingested now, ${outcome.passed ? 'passed' : 'FAILED'}`
  } catch (error) {
    return `strikes: could not evaluate the gates of session ${row.sessionId}, ingested now: ${(error as Error).message}`
  }
}

/** A session's row, as far as its start tells (end, sha and gates unknown). */
export function sessionRow(
  place: SessionWhere,
  sessionId: string,
  startedAt: Date,
  status: string,
): SessionRow {
  return {
    sessionId,
    startedAt,
    endedAt: undefined,
    status,
    gatePassed: undefined,
    strikesVersion: strikesVersion(),
    vitestVersion: place.vitestVersion,
    gitSha: undefined,
    root: place.root,
  }
}
