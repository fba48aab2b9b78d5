/**
 * The UI's hold on the database: opened read-only (through `openDatabase`, the one door) when a request
 * needs it and closed again after a moment of idleness, because DuckDB lets no process write a file that
 * another holds open — a running `vitest` must be able to land its session. A writer waiting for the lock
 * retries with backoff (at most about two seconds apart), so while a session is being recorded (its spool
 * folder exists, see `writer-activity.ts`), however busy the UI is, it never holds the file for more than
 * `maxHoldMs` at a stretch, and then leaves it alone for `pauseMs` (longer than the writer's longest wait
 * between tries) before opening it again. Queries run one at a time. A lock held by a writer
 * is waited for briefly, then reported. What the UI computed from the file stays valid while the file is
 * unchanged (same size, time and inode, and the same write-ahead log).
 */
import { statSync } from 'node:fs'
import { type Database, openDatabase } from '../../store/database.js'
import { checkUiDatabase, type SchemaFeatures } from './database-trust.js'
import { writerMayBeActive } from './writer-activity.js'

/** How the UI holds the database. */
export interface DatabaseLeaseOptions {
  readonly path: string
  /** How long to wait for a writer's lock before giving up (default 2,000 ms). */
  readonly lockWaitMs?: number
  /** How long the database stays open after the last query (default 300 ms). */
  readonly lingerMs?: number
  /** The longest the database is held open at a stretch while a session is being recorded (default 2,000 ms). */
  readonly maxHoldMs?: number
  /** How long the database is left closed after a hold that long (default 2,500 ms). */
  readonly pauseMs?: number
  /** Called after every query with its time and first line (for `STRIKES_UI_TIMINGS`). */
  readonly onQuery?: (ms: number, sql: string) => void
}

/** The open database as the UI's queries see it. */
export interface UiDatabase {
  readonly database: Database
  readonly features: SchemaFeatures
  /** Values computed from this version of the file (counts, column lists), dropped when the file changes. */
  readonly memo: Memo
  /**
   * Values that stay true while the file changes, under keys naming what they depend on (a finished
   * session's figures, keyed by its id, end time and status).
   */
  readonly lasting: Memo
  /** Runs `body` with the database once the current work is done (learning that can wait); errors are dropped. */
  afterwards(body: (db: UiDatabase) => Promise<void>): void
}

/** A small cache of values computed from one version of the file. */
export class Memo {
  readonly #values = new Map<string, unknown>()
  readonly #limit: number
  constructor(limit = 500) {
    this.#limit = limit
  }
  /** The value under `key`, computed by `compute` the first time. */
  async get<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.#values.has(key)) return this.#values.get(key) as T
    const value = await compute()
    this.set(key, value)
    return value
  }
  /** The value under `key`, if computed already. */
  peek<T>(key: string): T | undefined {
    return this.#values.get(key) as T | undefined
  }
  /** Keeps `value` under `key` (the oldest value goes when the memo is full). */
  set(key: string, value: unknown): void {
    if (!this.#values.has(key) && this.#values.size >= this.#limit) {
      const oldest = this.#values.keys().next().value
      if (oldest !== undefined) this.#values.delete(oldest)
    }
    this.#values.set(key, value)
  }
}

/** Opens the database on demand, serialises queries, and lets go of the file when idle. */
export class DatabaseLease {
  readonly path: string
  readonly #lockWaitMs: number
  readonly #lingerMs: number
  readonly #maxHoldMs: number
  readonly #pauseMs: number
  readonly #onQuery: ((ms: number, sql: string) => void) | undefined
  #open: { database: Database; features: SchemaFeatures } | undefined
  #memo: { signature: string; memo: Memo } | undefined
  readonly #lasting = new Memo(5_000)
  #queue: Promise<unknown> = Promise.resolve()
  #timer: NodeJS.Timeout | undefined
  #closed = false
  /** When the database was opened (for the longest hold). */
  #openedAt = 0
  /** Not opened again before this time (after a long hold). */
  #pausedUntil = 0

  constructor(options: DatabaseLeaseOptions) {
    this.path = options.path
    this.#lockWaitMs = options.lockWaitMs ?? 2_000
    this.#lingerMs = options.lingerMs ?? 300
    this.#maxHoldMs = options.maxHoldMs ?? 2_000
    this.#pauseMs = options.pauseMs ?? 2_500
    this.#onQuery = options.onQuery
  }

  /**
   * Runs `body` with the open database, after any body already running; opens the file when needed, waiting
   * for a writer's lock up to `lockWaitMs` (default: the lease's).
   */
  use<T>(body: (db: UiDatabase) => Promise<T>, options: { readonly lockWaitMs?: number } = {}): Promise<T> {
    const run = this.#queue.then(async () => {
      if (this.#closed) throw new Error('strikes ui: the server is shutting down')
      clearTimeout(this.#timer)
      try {
        const open = await this.#acquire(options.lockWaitMs ?? this.#lockWaitMs)
        return await body({
          database: open.database,
          features: open.features,
          memo: this.#memoFor(),
          lasting: this.#lasting,
          afterwards: (later) => {
            void this.use(later).catch(() => undefined)
          },
        })
      } finally {
        this.#scheduleRelease()
      }
    })
    this.#queue = run.catch(() => undefined)
    return run
  }

  /** The file's identity and state: changes whenever a writer changes the file or its write-ahead log. */
  signature(): string {
    return `${fileState(this.path)}|${fileState(`${this.path}.wal`)}`
  }

  /** Closes the database now and refuses further use. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#release()
  }

  async #acquire(lockWaitMs: number): Promise<{ database: Database; features: SchemaFeatures }> {
    if (this.#open !== undefined) return this.#open
    const wait = this.#pausedUntil - Date.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const database = await openDatabase(this.path, { readOnly: true, lockTimeoutMs: lockWaitMs })
    this.#openedAt = Date.now()
    try {
      // The checks are repeated on every open: the file may have been replaced since.
      const features = await checkUiDatabase(database)
      this.#open = {
        database: this.#onQuery === undefined ? database : timed(database, this.#onQuery),
        features,
      }
      return this.#open
    } catch (error) {
      database.close()
      throw error
    }
  }

  #memoFor(): Memo {
    const signature = this.signature()
    if (this.#memo?.signature !== signature) this.#memo = { signature, memo: new Memo() }
    return this.#memo.memo
  }

  #scheduleRelease(): void {
    clearTimeout(this.#timer)
    if (this.#open === undefined) return
    if (Date.now() - this.#openedAt >= this.#maxHoldMs && writerMayBeActive(this.path)) {
      // Held long enough: let a waiting writer in before opening again.
      this.#release()
      this.#pausedUntil = Date.now() + this.#pauseMs
      return
    }
    this.#timer = setTimeout(() => {
      // Only between queries: a query queued meanwhile keeps the file open.
      this.#queue = this.#queue.then(() => this.#release())
    }, this.#lingerMs)
    this.#timer.unref()
  }

  #release(): void {
    const open = this.#open
    this.#open = undefined
    open?.database.close()
  }
}

/** The database with every query timed. */
function timed(database: Database, onQuery: (ms: number, sql: string) => void): Database {
  return {
    ...database,
    path: database.path,
    connection: database.connection,
    close: () => database.close(),
    run: (sql, params) => database.run(sql, params),
    transaction: (body) => database.transaction(body),
    async query<T>(sql: string, params?: Parameters<Database['query']>[1]): Promise<T[]> {
      const started = performance.now()
      try {
        return await database.query<T>(sql, params)
      } finally {
        onQuery(performance.now() - started, sql)
      }
    },
  }
}

function fileState(path: string): string {
  try {
    const stat = statSync(path)
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`
  } catch {
    return 'absent'
  }
}
