/**
 * The reporter's single writer: runs queued for ingest are written in batches, each batch holding the
 * DuckDB file only while it writes (so two `vitest` processes on one file take turns). A run whose
 * ingest fails keeps its spool folder, and the failure is reported with where the data is.
 */
import { type Database, DatabaseLockedError, NotDuckDBError, openDatabase } from './database.js'
import { type IngestCounts, ingestRun, type RunOutcome } from './ingest.js'
import type { SpoolRun } from './spool-reader.js'

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

/** Serialises every write to one DuckDB file. */
export class IngestQueue {
  readonly dbPath: string
  private readonly lockTimeoutMs: number
  private pending: IngestJob[] = []
  private chain: Promise<void> = Promise.resolve()
  /** Problems met so far (each names the file or run and where its data is). */
  readonly errors: Error[] = []
  /** True once the file was found not to be DuckDB: nothing more is attempted. */
  private refused = false
  readonly totals: IngestTotals = { runs: 0, rows: 0, ms: 0 }

  constructor(dbPath: string, lockTimeoutMs: number) {
    this.dbPath = dbPath
    this.lockTimeoutMs = lockTimeoutMs
  }

  /** Queues a run; it is written with the next batch. */
  enqueue(job: IngestJob): void {
    this.pending.push(job)
    this.chain = this.chain.then(() => this.writePending())
  }

  /** Waits until every queued run was written (or failed). */
  async drain(): Promise<void> {
    await this.chain
  }

  /**
   * Runs `body` with the database once queued runs are written; `undefined` when the database cannot be
   * opened (the error is kept in `errors`).
   */
  withDatabase<T>(body: (database: Database) => Promise<T>): Promise<T | undefined> {
    const result = this.chain.then(() => this.open(body))
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
    await this.open(async (database) => {
      for (const job of jobs) {
        const started = performance.now()
        try {
          const counts: IngestCounts = await ingestRun(database, job.run, job.outcome)
          this.totals.runs += counts.runs
          this.totals.rows +=
            counts.spans + counts.metrics + counts.run_metrics + counts.objects + counts.task_io
        } catch (error) {
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
    }, jobs)
  }

  private async open<T>(
    body: (database: Database) => Promise<T>,
    jobs: IngestJob[] = [],
  ): Promise<T | undefined> {
    if (this.refused) return undefined
    let database: Database
    try {
      database = await openDatabase(this.dbPath, { lockTimeoutMs: this.lockTimeoutMs })
    } catch (error) {
      if (error instanceof NotDuckDBError) this.refused = true
      const kept = jobs.length > 0 ? `; the runs' records are kept in ${spoolDirs(jobs)}` : ''
      const message = (error as Error).message + kept
      const duplicate = this.errors.some((known) => known.message === message)
      if (!duplicate) {
        this.errors.push(
          error instanceof NotDuckDBError || error instanceof DatabaseLockedError
            ? Object.assign(new Error(message, { cause: error }), { name: (error as Error).name })
            : new Error(message, { cause: error }),
        )
      }
      return undefined
    }
    try {
      return await body(database)
    } finally {
      database.close()
    }
  }
}

function spoolDirs(jobs: IngestJob[]): string {
  const parents = new Set(jobs.map((job) => job.run.dir.replace(/[\\/][^\\/]+$/, '')))
  return [...parents].join(', ')
}
