/**
 * The reporter's single writer: runs queued for ingest wait in the spool and are written together when
 * the session ends (`drain`) — one open of the DuckDB file, one batch — or earlier, once what waits
 * passes `EARLY_WRITE_BYTES` of records. A batch holds the file only while it writes (so two `vitest`
 * processes on one file take turns). A session whose process dies leaves its runs in the spool, and the
 * next session ingests them. A run whose ingest fails keeps its spool folder, and the failure is
 * reported with where the data is. Every run, in a batch or alone, is checked the same way
 * (`ingest-checks.ts`: lost records are an error, values of tasks that never ended a warning), and a
 * refused spool file leaves its run untouched, with a warning. The connection is opened with external
 * access off but for the spool root, and an unlocked configuration (it runs only strikes' SQL; a large
 * run's ingest, see `ingest.ts`, and the session's end lower DuckDB's memory limit).
 */
import { realpathSync } from 'node:fs'
import { dirname } from 'node:path'
import type { SpoolRun } from '../../src/shared/spool/reader.js'
import { UnsafeSpoolError } from '../../src/shared/spool/spool-safety.js'
import {
  type Database,
  DatabaseLockedError,
  NewerSchemaError,
  NotDuckDBError,
  NotStrikesDatabaseError,
  openDatabase,
  UnsafeDatabasePathError,
  UntrustedDatabaseError,
} from './database.js'
import { type IngestCounts, ingestRun, type RunOutcome } from './ingest.js'
import { ingestBatch, planBatches, recordsSize, type SizedJob } from './ingest-batch.js'
import { ingestProblems } from './ingest-checks.js'

/** A run waiting to be written. */
export interface IngestJob {
  readonly run: SpoolRun
  readonly outcome: RunOutcome
}

/** Totals of what the queue wrote. */
export interface IngestTotals {
  runs: number
  rows: number
  /** Milliseconds spent inside ingest transactions. */
  ms: number
}

/**
 * How long a batch keeps the database open for the next one: long enough for the session's end after the
 * last file, short enough that another `vitest` process waiting for the lock barely notices.
 */
const LINGER_MS = 750

/**
 * DuckDB's memory limit while the session's end reads the database (gates, report): its default is most
 * of the machine's memory, and its buffer pool would keep what a large session's report read (1.8 GB at
 * a million tasks). Past the limit DuckDB spills to disk. Ingest keeps its own limits (see `ingest.ts`).
 */
const FINISHING_MEMORY_LIMIT = '256MB'

/**
 * Records waiting for ingest past this size are written before the session ends, so a long session of
 * big runs does not leave all of its ingest to the end (nor its spool on disk).
 */
const EARLY_WRITE_BYTES = 64 * 2 ** 20

/** Serialises every write to one DuckDB file. */
export class IngestQueue {
  readonly dbPath: string
  private readonly lockTimeoutMs: number
  private pending: (IngestJob & SizedJob)[] = []
  private chain: Promise<void> = Promise.resolve()
  /** Problems met so far (each names the file or run and where its data is). */
  readonly errors: Error[] = []
  /** Things a user should know that lost nothing (text repaired before it could be stored). */
  readonly warnings: string[] = []
  /** Set once the file was found unusable (not DuckDB, unsafe): nothing more is attempted. */
  private refusal: Error | undefined
  /** True once another process held the lock past the timeout: later batches try once, without waiting. */
  private lockedOut = false
  /** The error kept for each kind of failure to open the database, and the spool folders it kept out. */
  private readonly openFailures = new Map<string, { index: number; first: Error; dirs: Set<string> }>()
  private totals: IngestTotals = { runs: 0, rows: 0, ms: 0 }
  /** The database kept open for a moment after a batch, for the next batch or the session's end. */
  private held: Database | undefined
  private releaseTimer: NodeJS.Timeout | undefined
  /** A write of the pending runs is on the chain and has not started yet. */
  private writeQueued = false
  /** Bytes of records files of the pending runs. */
  private pendingBytes = 0

  /** The spool root: the one folder DuckDB may read (the records files) besides the database. */
  readonly spoolRoot: string

  constructor(dbPath: string, lockTimeoutMs: number, spoolRoot = `${dbPath}.spool`) {
    this.dbPath = dbPath
    this.lockTimeoutMs = lockTimeoutMs
    this.spoolRoot = spoolRoot
  }

  /**
   * Queues a run, its records measured once. It is written with the others when the session ends (`drain`,
   * `withDatabase`): one batch, one transaction, one open of the file, nothing competing with the workers
   * for the cores. Once the waiting runs' records pass `EARLY_WRITE_BYTES` they are written at once.
   */
  enqueue(job: IngestJob): void {
    const recordsBytes = recordsSize(job)
    this.pending.push({ ...job, recordsBytes })
    this.pendingBytes += recordsBytes ?? 0
    if (this.pendingBytes >= EARLY_WRITE_BYTES) this.flush()
  }

  /** Puts a write of the waiting runs on the chain, unless one is already waiting there. */
  private flush(): void {
    if (this.writeQueued || this.pending.length === 0) return
    this.writeQueued = true
    this.chain = this.chain.then(() => {
      this.writeQueued = false
      return this.writePending()
    })
  }

  /**
   * Hands over the errors and warnings met so far and forgets them, with what they decided (a refused
   * file, a lock that outlasted the timeout): the next session (a watch-mode rerun) starts afresh.
   */
  takeProblems(): { errors: Error[]; warnings: string[] } {
    const problems = { errors: [...this.errors], warnings: [...this.warnings] }
    this.errors.length = 0
    this.warnings.length = 0
    this.openFailures.clear()
    this.refusal = undefined
    this.lockedOut = false
    return problems
  }

  /** Hands over the totals written so far and starts counting afresh (for the next session). */
  takeTotals(): IngestTotals {
    const totals = this.totals
    this.totals = { runs: 0, rows: 0, ms: 0 }
    return totals
  }

  /** Waits until every queued run was written (or failed). */
  async drain(): Promise<void> {
    this.flush()
    await this.chain
  }

  /**
   * Runs `body` with the database once queued runs are written; `undefined` when the database cannot be
   * opened (the error is kept in `errors`).
   */
  withDatabase<T>(body: (database: Database) => Promise<T>): Promise<T | undefined> {
    this.flush()
    const result = this.chain.then(() =>
      this.open(async (database) => {
        // The connection is closed after `body` (no linger), so the lowered limit ends with it.
        if (!database.configurationLocked)
          await database.run(`SET memory_limit = '${FINISHING_MEMORY_LIMIT}'`)
        return body(database)
      }),
    )
    this.chain = result.then(
      () => undefined,
      () => undefined,
    )
    return result
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return
    const jobs = this.pending
    this.pending = []
    this.pendingBytes = 0
    await this.open(
      async (database) => {
        // Runs that ended together go in one transaction; a batch that fails is ingested run by run.
        const { batches, alone } = planBatches(jobs)
        const single: IngestJob[] = [...alone]
        for (const batch of batches) {
          if (batch.length === 1) {
            single.push(...batch)
            continue
          }
          const started = performance.now()
          try {
            const result = await ingestBatch(database, batch)
            this.count(result.totals)
            for (const job of batch) {
              const counts = result.perRun.get(job.run.runId)
              if (counts !== undefined) this.noteCounts(job, counts)
            }
          } catch {
            single.push(...batch)
          } finally {
            this.totals.ms += performance.now() - started
          }
        }
        for (const job of single) await this.ingestOne(database, job)
      },
      jobs,
      LINGER_MS,
    )
  }

  private count(counts: IngestCounts): void {
    this.totals.runs += counts.runs
    this.totals.rows += counts.spans + counts.metrics + counts.run_metrics + counts.objects + counts.task_io
  }

  /** Ingests one run on its own; a failure is kept in `errors`, naming where the run's records are. */
  private async ingestOne(database: Database, job: IngestJob): Promise<void> {
    const started = performance.now()
    try {
      const counts: IngestCounts = await ingestRun(database, job.run, job.outcome)
      this.count(counts)
      this.noteCounts(job, counts)
    } catch (error) {
      if (error instanceof UnsafeSpoolError) {
        // Only a planted or tampered folder holds such a file: it is left as it is, and said so.
        this.warnings.push(
          `${error.message} (run "${job.run.start.name}"); the run was neither ingested nor changed — ` +
            'remove its folder if you do not know where it came from',
        )
        return
      }
      this.errors.push(
        new Error(
          `strikes: could not ingest run "${job.run.start.name}" (${(error as Error).message}); ` +
            `its records are kept in ${job.run.dir} and will be ingested by the next run`,
          { cause: error },
        ),
      )
    } finally {
      this.totals.ms += performance.now() - started
    }
  }

  /** Turns what an ingest counted into errors (records lost from the spool) and warnings (rows left out). */
  private noteCounts(job: IngestJob, counts: IngestCounts): void {
    const { errors, warnings } = ingestProblems(job.run.start.name, job.run.dir, counts)
    this.errors.push(...errors)
    this.warnings.push(...warnings)
  }

  /** Directories DuckDB may read: the spool root, by its real path (it may be a link to another disk). */
  private allowedDirectories(): string[] {
    try {
      return [realpathSync(this.spoolRoot)]
    } catch {
      return []
    }
  }

  /**
   * Runs `body` with the database, opening it unless a previous batch still holds it. Afterwards the
   * file is closed at once, or — with `lingerMs` — kept open that long for the next batch (another file
   * ending, the session's end), so a session does not open and close the file for every file.
   */
  private async open<T>(
    body: (database: Database) => Promise<T>,
    jobs: IngestJob[] = [],
    lingerMs = 0,
  ): Promise<T | undefined> {
    if (this.refusal !== undefined) {
      this.recordOpenFailure(this.refusal, jobs)
      return undefined
    }
    if (this.releaseTimer !== undefined) {
      clearTimeout(this.releaseTimer)
      this.releaseTimer = undefined
    }
    let database = this.held
    if (database === undefined) {
      try {
        // Once the lock outlasted the timeout, later batches try once and leave their runs in the spool.
        database = await openDatabase(this.dbPath, {
          lockTimeoutMs: this.lockedOut ? 0 : this.lockTimeoutMs,
          allowedDirectories: this.allowedDirectories(),
          // This connection runs only strikes' own SQL: a large run may lower DuckDB's memory limit.
          lockConfiguration: false,
        })
      } catch (error) {
        if (isRefusal(error)) this.refusal = error as Error
        if (error instanceof DatabaseLockedError) this.lockedOut = true
        this.recordOpenFailure(error as Error, jobs)
        return undefined
      }
      this.held = database
      this.warnings.push(...database.notices)
    }
    try {
      return await body(database)
    } finally {
      if (lingerMs > 0) {
        this.releaseTimer = setTimeout(() => this.release(), lingerMs)
        this.releaseTimer.unref()
      } else {
        this.release()
      }
    }
  }

  /** Closes the database if a batch still holds it. */
  release(): void {
    if (this.releaseTimer !== undefined) clearTimeout(this.releaseTimer)
    this.releaseTimer = undefined
    this.held?.close()
    this.held = undefined
  }

  /**
   * Keeps one error per kind of failure to open the database (however many batches met it), naming every
   * spool folder whose runs it kept out.
   */
  private recordOpenFailure(error: Error, jobs: IngestJob[]): void {
    const kind = error.name
    let failure = this.openFailures.get(kind)
    if (failure === undefined) {
      failure = { index: this.errors.length, first: error, dirs: new Set() }
      this.openFailures.set(kind, failure)
      this.errors.push(error)
    }
    for (const dir of spoolDirs(jobs)) failure.dirs.add(dir)
    const kept =
      failure.dirs.size > 0
        ? `; the runs' records are kept in ${[...failure.dirs].join(', ')} and will be ingested by the next session that can open it`
        : ''
    const message =
      failure.dirs.size > 0 ? failure.first.message.replace(/\.$/, '') + kept : failure.first.message
    this.errors[failure.index] = Object.assign(new Error(message, { cause: failure.first }), {
      name: failure.first.name,
    })
  }
}

/** A file strikes will not open however often it tries (not DuckDB, unsafe, foreign, newer): nothing more is attempted. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof NotDuckDBError ||
    error instanceof UnsafeDatabasePathError ||
    error instanceof UntrustedDatabaseError ||
    error instanceof NotStrikesDatabaseError ||
    error instanceof NewerSchemaError
  )
}

/** The session folders holding the jobs' run folders. */
function spoolDirs(jobs: IngestJob[]): string[] {
  return [...new Set(jobs.map((job) => dirname(job.run.dir)))]
}
