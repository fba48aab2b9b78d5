/**
 * The recording of one session — a `vitest` invocation or a `withRun` script — into DuckDB: its spool
 * folder, the runs claimed for ingest as their files end, what crashed workers and earlier, interrupted
 * sessions left behind, and the session row. The Vitest adapter and `withRun`'s standalone ingest share
 * it, so a session row is built in one place.
 */
import { randomUUID } from 'node:crypto'
import { readdirSync, rmSync } from 'node:fs'
import type { RunStatus } from '../../src/shared/spool/format.js'
import { readSessionExport, type SessionExport } from '../../src/shared/spool/otlp-outcome.js'
import { readSpoolRun, runFolders, type SpoolRun, scanRunFolders } from '../../src/shared/spool/reader.js'
import {
  markSessionEnded,
  readSessionMarker,
  SESSION_MARKER_FILE,
  scanLeftoverSessions,
  sessionSpoolDir,
  writeSessionMarker,
} from '../../src/shared/spool/session-marker.js'
import type { RefusedSpoolPath } from '../../src/shared/spool/spool-safety.js'
import type { SessionGateConfig } from '../gate/gate-config.js'
import { gitSha } from '../git.js'
import type { Database } from '../store/database.js'
import type { RunOutcome } from '../store/ingest.js'
import type { IngestQueue, IngestTotals } from '../store/ingest-queue.js'
import { addRunErrors, type RunError } from '../store/run-errors.js'
import { type SessionRow, upsertSession } from '../store/sessions.js'
import { addUnstartedRuns } from '../store/unstarted-runs.js'
import { type Leftover, leftoverRow, regate, sessionRow } from './leftover-sessions.js'
import { sessionGroup } from './session-group.js'
import { type SessionSelection, WHOLE_SELECTION } from './session-selection.js'

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

/** How a session starts. */
export interface SessionStart {
  readonly id?: string
  readonly startedAt?: Date
  /** The spool folder exists and is marked already (a `withRun` script marks its own). */
  readonly marked?: boolean
  /** What the session was asked to run (default: everything, not partial). */
  readonly selection?: SessionSelection
  /** The thresholds and gate options of each recording project, stored with the session. */
  readonly gates?: readonly SessionGateConfig[]
}

/** One session being recorded. */
export class SessionRecorder {
  readonly id: string
  readonly startedAt: Date
  readonly spoolDir: string
  readonly place: SessionPlace
  readonly selection: SessionSelection
  readonly gates: readonly SessionGateConfig[]
  readonly #queue: IngestQueue
  /** Run folders already queued for ingest. */
  readonly #claimed = new Set<string>()
  /** Spool folders and files refused (links, other users'), each told once. */
  readonly #refused = new Map<string, string>()
  /** Errors outside tests that arrived after their runs were queued (unhandled rejections). */
  readonly #runErrors: RunError[] = []
  /** Vitest cancelled the run (`--bail`, Ctrl-C): selected files that never started are stored as cancelled. */
  #cancelled = false

  /**
   * Starts a session: a spool folder marked as this process's (kept when `marked` says it exists). The
   * gate configuration is kept in the marker too, so a later session that ingests this one — because its
   * own ingest failed — evaluates its gates. Throws one clear error when the spool folder cannot be created.
   */
  constructor(place: SessionPlace, session: SessionStart = {}) {
    this.place = place
    this.id = session.id ?? randomUUID()
    this.startedAt = session.startedAt ?? new Date()
    this.selection = session.selection ?? WHOLE_SELECTION
    this.gates = session.gates ?? []
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
  claim(run: SpoolRun, outcome: RunStatus | RunOutcome): void {
    this.#claimed.add(run.dir)
    this.#queue.enqueue({ run, outcome: typeof outcome === 'string' ? { status: outcome } : outcome })
  }

  /** Notes that Vitest cancelled the run (`--bail`, Ctrl-C). */
  markCancelled(): void {
    this.#cancelled = true
  }

  /** Adds an error outside tests to the run of a file (it fails the run); applied when the session ends. */
  addRunError(error: RunError): void {
    this.#runErrors.push(error)
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
    const exported = readSessionExport(this.spoolDir)
    const endedAt = new Date()
    const sha = gitSha(this.place.root)
    const facts: SessionFacts = {
      sessionId: this.id,
      startedAt: this.startedAt,
      endedAt,
      gitSha: sha,
      selection: this.selection,
      gates: this.gates,
    }
    const regated: string[] = []
    const finished = await this.#queue.withDatabase(async (database) => {
      for (const leftover of leftovers) await upsertSession(database, leftover.row)
      // A session whose own ingest failed is gated now that its runs are in, with its own configuration.
      for (const leftover of leftovers) {
        const line = await regate(database, leftover.row)
        if (line !== undefined) regated.push(line)
      }
      await addRunErrors(database, this.id, this.#runErrors)
      // The row is written before the finishing steps, which read it (the report shows its versions).
      const row: SessionRow = {
        ...sessionRow(this.place, this.id, this.startedAt, status),
        endedAt,
        gitSha: sha,
        partial: this.selection.partial,
        selection: this.selection.facts,
        gateConfig: this.gates,
        files: this.selection.files,
        otlp: exported,
        shard: shardOf(this.selection, sha),
      }
      await upsertSession(database, row)
      if (this.#cancelled) await addUnstartedRuns(database, this.id, endedAt)
      const result = await finishing(database, facts)
      await upsertSession(database, { ...row, gatePassed: result.gatePassed })
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
    const dropped = droppedSpansWarning(exported)
    return {
      finished,
      endedAt,
      gitSha: sha,
      errors: problems.errors,
      warnings: [
        ...this.#refusalWarnings(),
        ...problems.warnings,
        ...(dropped === undefined ? [] : [dropped]),
        ...regated,
      ],
      totals: this.#queue.takeTotals(),
    }
  }

  /**
   * Queues the runs of sessions whose process is gone (interrupted during ingest, or whose ingest
   * failed); returns their folders and rows (how they ended and their gates, when their marker says).
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
      return { dir, row: leftoverRow(this.place, dir, marker) }
    })
  }
}

/** The shard a `--shard` session ran, with its group; `undefined` for an unsharded session. */
function shardOf(selection: SessionSelection, sha: string | undefined): SessionRow['shard'] {
  const shard = selection.facts.shard
  if (shard === null) return undefined
  return { ...shard, group: sessionGroup(shard, sha, process.env) }
}

/** What the finishing steps know of the session. */
export interface SessionFacts {
  readonly sessionId: string
  readonly startedAt: Date
  readonly endedAt: Date
  readonly gitSha: string | undefined
  /** What the session was asked to run (partial or not, and why). */
  readonly selection: SessionSelection
  /** The gate configuration of each recording project (stored with the session). */
  readonly gates: readonly SessionGateConfig[]
}

/** The one line that says how many spans OTLP export lost in a session, if it lost any. */
function droppedSpansWarning(exported: SessionExport | undefined): string | undefined {
  if (exported === undefined || exported.dropped === 0) return undefined
  const total = exported.dropped + exported.exported
  const why =
    exported.down === undefined ? 'the export queue was full' : `export to ${exported.down.url} failed`
  return (
    `strikes: ${exported.dropped} of ${total} spans were not exported over OTLP (${why}); ` +
    'all of them are recorded in DuckDB (sessions.otlp_dropped_spans)'
  )
}

/** Removes a session spool folder once every run in it was ingested (only its marker and OTLP files remain). */
function removeIfIngested(dir: string): void {
  try {
    const left = readdirSync(dir).filter((name) => name !== SESSION_MARKER_FILE && !name.startsWith('otlp'))
    if (left.length === 0) rmSync(dir, { recursive: true, force: true })
  } catch {
    // already gone
  }
}
