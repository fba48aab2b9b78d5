/**
 * The recording of one session — a `vitest` invocation or a `withRun` script — into DuckDB: its spool
 * folder, the runs claimed for ingest as their files end, what crashed workers and earlier, interrupted
 * sessions left behind, and the session row. The Vitest adapter and `withRun`'s standalone ingest share
 * it, so a session row is built in one place.
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import type { RunStatus } from '../../src/shared/spool/format.js'
import { readSpoolRun, runFolders, type SpoolRun, scanRunFolders } from '../../src/shared/spool/reader.js'
import {
  markSessionEnded,
  readSessionMarker,
  SESSION_MARKER_FILE,
  type SessionMarker,
  scanLeftoverSessions,
  sessionSpoolDir,
  writeSessionMarker,
} from '../../src/shared/spool/session-marker.js'
import type { RefusedSpoolPath } from '../../src/shared/spool/spool-safety.js'
import { gitSha } from '../git.js'
import { strikesVersion } from '../package-info.js'
import type { Database } from '../store/database.js'
import type { IngestQueue, IngestTotals } from '../store/ingest-queue.js'
import { type SessionRow, upsertSession } from '../store/sessions.js'

/** Where a session is recorded. */
export interface SessionPlace {
  /** The writer of the database (one per process and file, kept across watch-mode sessions). */
  readonly queue: IngestQueue
  /** The spool root (`<db>.spool`). */
  readonly spoolRoot: string
  /** The Vitest root, or the script's working directory. */
  readonly root: string
  readonly vitestVersion: string | undefined
}

/** What the finishing steps of a session decided, and what they hand back. */
export interface Finished<T> {
  /** The gates' verdict; `undefined` when no gate was evaluated. */
  readonly gatePassed: boolean | undefined
  readonly value: T
}

/** What ending a session produced. */
export interface SessionResult<T> {
  /** What the finishing steps returned; `undefined` when the database could not be opened. */
  readonly finished: Finished<T> | undefined
  readonly endedAt: Date
  readonly gitSha: string | undefined
  /** Problems met while ingesting (each names the run or file and where its data is kept). */
  readonly errors: Error[]
  /** Things a user should know that lost nothing. */
  readonly warnings: string[]
  readonly totals: IngestTotals
}

/** One session being recorded. */
export class SessionRecorder {
  readonly id: string
  readonly startedAt: Date
  readonly spoolDir: string
  readonly place: SessionPlace
  readonly #queue: IngestQueue
  /** Run folders already queued for ingest. */
  readonly #claimed = new Set<string>()
  /** Spool folders and files refused (links, other users'), each told once. */
  readonly #refused = new Map<string, string>()

  /**
   * Starts a session: a spool folder marked as this process's (kept when `marked` says it exists). `gates`
   * (JSON: thresholds, baseline, strict) is kept in the marker, so a later session that ingests this one
   * — because its own ingest failed — evaluates its gates. Throws one clear error when the spool folder
   * cannot be created.
   */
  constructor(
    place: SessionPlace,
    session: { id?: string; startedAt?: Date; marked?: boolean; gates?: unknown } = {},
  ) {
    this.place = place
    this.id = session.id ?? randomUUID()
    this.startedAt = session.startedAt ?? new Date()
    this.spoolDir = sessionSpoolDir(place.spoolRoot, this.id)
    if (session.marked !== true)
      writeSessionMarker(this.spoolDir, this.id, this.startedAt, { gates: session.gates })
    this.#queue = place.queue
  }

  /** Runs of this session whose records are not yet queued for ingest. */
  unclaimedRuns(): SpoolRun[] {
    const runs: SpoolRun[] = []
    const scan = scanRunFolders(this.spoolDir)
    this.#refuse(scan.refused)
    for (const dir of scan.folders) {
      if (this.#claimed.has(dir)) continue
      const run = this.#read(dir)
      if (run !== undefined) runs.push(run)
    }
    return runs
  }

  /** Reads a run folder; one strikes refuses is told about (once) and left as it is. */
  #read(dir: string): SpoolRun | undefined {
    try {
      return readSpoolRun(dir)
    } catch (error) {
      this.#refuse([{ path: dir, reason: (error as Error).message.replace(/^strikes: /, '') }])
      return undefined
    }
  }

  #refuse(refused: readonly RefusedSpoolPath[]): void {
    for (const { path, reason } of refused) if (!this.#refused.has(path)) this.#refused.set(path, reason)
  }

  /** Warnings for the spool entries refused so far. */
  #refusalWarnings(): string[] {
    return [...this.#refused].map(([path, reason]) =>
      reason.startsWith('refused')
        ? `strikes: ${reason}; it was neither ingested nor changed — remove it if you do not know where it came from`
        : `strikes: refused the spool entry ${path}: ${reason}; it was neither ingested nor changed — remove it if you do not know where it came from`,
    )
  }

  /** Queues a run for ingest with its final status (it is written with the next batch). */
  claim(run: SpoolRun, status: RunStatus): void {
    this.#claimed.add(run.dir)
    this.#queue.enqueue({ run, outcome: { status } })
  }

  /**
   * Ends the session: runs never claimed are ingested as their worker left them (no end event: crashed),
   * with what earlier sessions of dead processes left; then, with the database open, `finishing` runs
   * (gates, report, summary) and the session rows are written. `status` is Vitest's reason (`passed`,
   * `failed`, `interrupted`) or a `withRun` callback's outcome.
   */
  async end<T>(
    status: string,
    finishing: (database: Database, facts: SessionFacts) => Promise<Finished<T>>,
  ): Promise<SessionResult<T>> {
    for (const run of this.unclaimedRuns())
      this.claim(run, run.end === undefined ? 'crashed' : run.end.status)
    const leftovers = this.#claimLeftovers()
    await this.#queue.drain()
    for (const leftover of leftovers) removeIfIngested(leftover.dir)
    const endedAt = new Date()
    const sha = gitSha(this.place.root)
    const facts: SessionFacts = { sessionId: this.id, startedAt: this.startedAt, endedAt, gitSha: sha }
    const regated: string[] = []
    const finished = await this.#queue.withDatabase(async (database) => {
      for (const leftover of leftovers) await upsertSession(database, leftover.row)
      // A session whose own ingest failed is gated now that its runs are in, with its own thresholds.
      for (const leftover of leftovers) {
        const line = await regate(database, leftover.row, leftover.gates)
        if (line !== undefined) regated.push(line)
      }
      const result = await finishing(database, facts)
      await upsertSession(database, {
        ...sessionRow(this.place, this.id, this.startedAt, status),
        endedAt,
        gitSha: sha,
        gatePassed: result.gatePassed,
      })
      return result
    })
    removeIfIngested(this.spoolDir)
    // Runs still in the spool are ingested by the next session, which then records how this one ended.
    if (runFolders(this.spoolDir).length > 0) {
      markSessionEnded(this.spoolDir, {
        status,
        ended_at: endedAt.getTime(),
        ...(sha === undefined ? {} : { git_sha: sha }),
      })
    }
    const problems = this.#queue.takeProblems()
    return {
      finished,
      endedAt,
      gitSha: sha,
      errors: problems.errors,
      warnings: [...this.#refusalWarnings(), ...problems.warnings, ...regated],
      totals: this.#queue.takeTotals(),
    }
  }

  /**
   * Queues the runs of sessions whose process is gone (interrupted during ingest, or whose ingest
   * failed); returns their folders, rows (with how they ended, when their marker says) and gates.
   */
  #claimLeftovers(): Leftover[] {
    const scan = scanLeftoverSessions(this.place.spoolRoot, this.id)
    this.#refuse(scan.refused)
    return scan.sessions.map((dir) => {
      const marker = readSessionMarker(dir)
      const runs = scanRunFolders(dir)
      this.#refuse(runs.refused)
      for (const runDir of runs.folders) {
        const run = this.#read(runDir)
        if (run !== undefined) this.#queue.enqueue({ run, outcome: { status: run.end?.status ?? 'crashed' } })
      }
      return { dir, row: leftoverRow(this.place, dir, marker), gates: marker?.gates }
    })
  }
}

/** A session an earlier process left in the spool. */
interface Leftover {
  readonly dir: string
  readonly row: SessionRow
  /** The gates it was to be evaluated with (from its marker), if any. */
  readonly gates: unknown
}

/** A leftover session's row: how it ended when its marker says so, else `interrupted`. */
function leftoverRow(place: SessionPlace, dir: string, marker: SessionMarker | undefined): SessionRow {
  const id = typeof marker?.session_id === 'string' ? marker.session_id : basename(dir)
  const started = new Date(typeof marker?.started_at === 'number' ? marker.started_at : Date.now())
  const ended = marker?.ended
  const row = sessionRow(place, id, started, typeof ended?.status === 'string' ? ended.status : 'interrupted')
  if (ended === undefined || typeof ended.ended_at !== 'number') return row
  return {
    ...row,
    endedAt: new Date(ended.ended_at),
    gitSha: typeof ended.git_sha === 'string' ? ended.git_sha : undefined,
  }
}

/**
 * Evaluates and records the gates of a leftover session (thresholds, baseline and strict as its marker
 * kept them) and its verdict; returns a line to print, or `undefined` when it had none.
 */
async function regate(database: Database, row: SessionRow, gates: unknown): Promise<string | undefined> {
  if (typeof gates !== 'object' || gates === null) return undefined
  const { evaluateSessionGates } = await import('../gate/session-gates.js')
  const given = gates as { thresholds?: unknown; baseline?: unknown; strict?: unknown }
  try {
    const outcome = await evaluateSessionGates(database, {
      sessionId: row.sessionId,
      options: {
        thresholds: (given.thresholds ?? {}) as Record<string, string[]>,
        baseline: typeof given.baseline === 'string' ? given.baseline : undefined,
        strict: given.strict === true,
      },
    })
    if (outcome.passed === undefined) return undefined
    await upsertSession(database, { ...row, gatePassed: outcome.passed })
    return `strikes: the gates of session ${row.sessionId}, whose runs were ingested now, ${outcome.passed ? 'passed' : 'FAILED'}`
  } catch (error) {
    return `strikes: could not evaluate the gates of session ${row.sessionId}, ingested now: ${(error as Error).message}`
  }
}

/** A session's row, as far as its start tells (end, sha and gates unknown). */
function sessionRow(place: SessionPlace, sessionId: string, startedAt: Date, status: string): SessionRow {
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

/** What the finishing steps know of the session. */
export interface SessionFacts {
  readonly sessionId: string
  readonly startedAt: Date
  readonly endedAt: Date
  readonly gitSha: string | undefined
}

/** Removes a session spool folder once every run in it was ingested (only its marker remains). */
function removeIfIngested(dir: string): void {
  try {
    const left = readdirSync(dir).filter((name) => name !== SESSION_MARKER_FILE)
    if (left.length === 0) rmSync(dir, { recursive: true, force: true })
  } catch {
    // already gone
  }
}
