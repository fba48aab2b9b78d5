/**
 * Opening the strikes DuckDB file — the one door every reader and writer goes through (the reporter's
 * ingest, every CLI command, report rendering, `strikes merge`, `strikes ui`): the file is checked before
 * DuckDB opens it (see `database-file.ts`), the connection is locked down and the file's catalog verified
 * before any query (the trust rule, `trust.ts`), another process's lock is waited for with backoff, and a
 * writable open brings the schema up to date with forward migrations.
 *
 * What `openDatabase(path, { readOnly: true })` guarantees to its caller (and a writable open likewise):
 * - Nothing the file defines runs. Before the first query, the file's catalog was compared with the one
 *   strikes' own migrations create for the file's schema version: it holds exactly strikes' tables (same
 *   columns, types, defaults, constraints) and views, and no macro, function, type, sequence, index or
 *   schema strikes did not create; a table strikes does not know is allowed only as plain data. So the
 *   views (`metric_summary`, `latest_runs`, …) and every built-in function mean what strikes means.
 *   Otherwise it throws {@link UntrustedDatabaseError} naming what is foreign (`.foreign`), and the file
 *   is neither read nor changed.
 * - No file, network or extension access: external access is off (except `allowedDirectories`),
 *   extensions are neither loaded nor installed, and the configuration is locked, so SQL the caller runs
 *   later — even a user's, as `strikes query` does — cannot turn any of it back on.
 * - Read-only: DuckDB opens the file with `access_mode = READ_ONLY` (every write fails; the file is
 *   byte for byte unchanged), and it must exist and hold strikes' schema (`DatabaseMissingError`,
 *   `NotDuckDBError`, `NotStrikesDatabaseError`); a newer schema is refused (`NewerSchemaError`); an
 *   older one is opened as it is, `schemaVersion` saying which (read-only opens never migrate).
 * - Errors are one line: what, where, and what to do; another process's lock is waited for up to
 *   `lockTimeoutMs` (`DatabaseLockedError` names the holder).
 * - The one exception, `lockConfiguration: false`: connections that never run a user's SQL leave the
 *   configuration unlocked so that DuckDB's `memory_limit` and `preserve_insertion_order` can be lowered
 *   — the reporter's ingest (`ingest-queue.ts`: a large run, then restored, see `ingest.ts`) and
 *   `strikes merge`'s target (`reporter/merge/merge-databases.ts`).
 *   External access is off there too and cannot be turned back on (DuckDB refuses to enable it or to
 *   widen `allowed_directories` while running), and the catalog is verified the same way. Every open
 *   that runs SQL a user wrote (`strikes query`, the lake) keeps the default, locked.
 * To read a second database inside one connection (a merge), {@link attachDatabase} attaches it under
 * the same rule.
 */
import { dirname } from 'node:path'
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api'
import { makeFolder } from '../../src/shared/make-folder.js'
import {
  clearCreationMark,
  inspectDatabaseFile,
  markCreation,
  NotDuckDBError,
  refuseLinkedCompanions,
  setAsideHalfCreated,
} from './database-file.js'
import { DEFAULT_LOCK_TIMEOUT_MS } from './defaults.js'
import { migrate } from './migrate.js'
import { SCHEMA_VERSION } from './schema.js'
import { defaultCatalog, INSTANCE_SETTINGS, lockDown, referenceCatalog, verifyCatalog } from './trust.js'

export {
  DatabaseMissingError,
  looksLikeDuckDB,
  NotDuckDBError,
  UnsafeDatabasePathError,
} from './database-file.js'
export { migrate } from './migrate.js'
export {
  type ForeignObject,
  NewerSchemaError,
  NotStrikesDatabaseError,
  UntrustedDatabaseError,
} from './trust.js'

/** An open database: one instance and one connection, closed together. */
export interface Database {
  readonly path: string
  readonly connection: DuckDBConnection
  /** The file's schema version when it was opened (the current version after a writable open). */
  readonly schemaVersion: number
  /** Things the open did that lost nothing but that a user should know (a half-created file created afresh). */
  readonly notices: readonly string[]
  /** False only when opened with `lockConfiguration: false` (settings such as `memory_limit` may change). */
  readonly configurationLocked: boolean
  /** Runs a query and returns its rows as plain JavaScript objects. */
  query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>
  /** Runs statements (no result). */
  run(sql: string, params?: DuckDBValue[]): Promise<void>
  /** Runs `body` in a transaction, rolled back if it throws. */
  transaction<T>(body: () => Promise<T>): Promise<T>
  close(): void
}

/** One wait for another process's lock, as reported to {@link OpenDatabaseOptions.onLockWait}. */
export interface LockWait {
  /** 1 for the first retry. */
  readonly attempt: number
  /** How long this wait lasts, in milliseconds. */
  readonly delayMs: number
  /** DuckDB's reason (which process holds the lock). */
  readonly reason: string
}

/** How to open the database. */
export interface OpenDatabaseOptions {
  /** Open read-only (queries only; the file must exist and hold strikes' schema). */
  readOnly?: boolean
  /** How long to wait for another process's lock, in milliseconds (default 120,000). */
  lockTimeoutMs?: number
  /**
   * Directories DuckDB may read and write besides the database (external access is otherwise off): the
   * spool for ingest, an export folder. Give real paths; DuckDB refuses symbolic links out of them.
   */
  allowedDirectories?: readonly string[]
  /** Called before each wait for another process's lock. */
  onLockWait?: (wait: LockWait) => void
  /**
   * Lock DuckDB's configuration (default true). Only a connection that never runs a user's SQL may pass
   * false (the reporter's ingest, to lower the memory limit for a large run); external access stays off.
   */
  lockConfiguration?: boolean
}

/** Another process held the lock for longer than the timeout. */
export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError'
}

function isLockError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /Could not set lock|Conflicting lock|database is locked/i.test(message)
}

/**
 * Starts, in the background, what the first open in a process waits for: the reference catalog the trust
 * check compares a file with (built once per process, loading DuckDB's native module; see `trust.ts`).
 * Every open starts it as it begins; the reporter also calls it while the tests run, so the session's
 * end waits for none of it. A failure is left for the open itself to meet and report.
 */
export function prepareToOpen(): void {
  referenceCatalog(SCHEMA_VERSION).catch(() => undefined)
}

/**
 * Opens (creating when needed, unless read-only) the strikes database at `path`, migrated to the current
 * schema. The returned connection has external access off (except `allowedDirectories`), no extension
 * autoloading and a locked configuration, and the file was verified to hold only what strikes creates:
 * see `trust.ts` for what that guarantees and the errors it throws.
 */
export async function openDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const readOnly = options.readOnly === true
  prepareToOpen()
  // An in-memory database (the lake) has no file to check, mark or set aside.
  const inMemory = path === ':memory:'
  if (!readOnly && !inMemory) refuseLinkedCompanions(path)
  const file = inMemory ? { exists: true, notices: [] } : inspectDatabaseFile(path, readOnly)
  const notices = [...file.notices]
  if (!file.exists) {
    makeFolder(dirname(path), 'the database folder')
    markCreation(path)
  }
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS
  let instance: DuckDBInstance
  try {
    instance = await createWithRetry(DuckDBInstance, path, readOnly, lockTimeoutMs, options.onLockWait)
  } catch (error) {
    // A file strikes never finished creating (its marker is beside it) that DuckDB cannot open is set
    // aside (never deleted) and created afresh.
    const aside =
      !readOnly && !inMemory && file.exists && !(error instanceof DatabaseLockedError)
        ? setAsideHalfCreated(path)
        : undefined
    if (aside === undefined) throw error
    notices.push(aside)
    markCreation(path)
    instance = await createWithRetry(DuckDBInstance, path, readOnly, lockTimeoutMs, options.onLockWait)
  }
  let connection: DuckDBConnection | undefined
  try {
    connection = await instance.connect()
    const lockConfiguration = options.lockConfiguration !== false
    await lockDown(connection, { allowedDirectories: options.allowedDirectories, lockConfiguration })
    const catalog = await defaultCatalog(connection)
    const trusted = await verifyCatalog(connection, catalog, path, { requireSchema: readOnly })
    const version = readOnly ? trusted.version : SCHEMA_VERSION
    const database = wrap(path, instance, connection, version, notices, lockConfiguration)
    if (!readOnly) {
      await migrate(database, trusted.version)
      if (!inMemory) clearCreationMark(path)
    }
    return database
  } catch (error) {
    connection?.closeSync()
    instance.closeSync()
    throw error
  }
}

async function createWithRetry(
  factory: typeof DuckDBInstance,
  path: string,
  readOnly: boolean,
  lockTimeoutMs: number,
  onLockWait: ((wait: LockWait) => void) | undefined,
): Promise<DuckDBInstance> {
  const deadline = Date.now() + lockTimeoutMs
  let delay = 25
  let attempt = 0
  const settings: Record<string, string> = { ...INSTANCE_SETTINGS }
  if (readOnly) settings.access_mode = 'READ_ONLY'
  while (true) {
    try {
      return await factory.create(path, settings)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      if (!isLockError(error)) {
        if (/not a valid DuckDB database|invalid database file|Corrupt database file/i.test(message)) {
          throw new NotDuckDBError(
            `strikes: ${path} is not a DuckDB database (${message}); it was left untouched`,
          )
        }
        throw new Error(`strikes: cannot open the database ${path}: ${message}`, { cause: error })
      }
      if (Date.now() >= deadline) {
        const waited = lockTimeoutMs > 0 ? ` for ${formatWait(lockTimeoutMs)}` : ''
        throw new DatabaseLockedError(
          `strikes: the database ${path} stayed locked by another process${waited} (${message}); ` +
            'raise the `lockTimeoutMs` option to wait longer',
          { cause: error },
        )
      }
      const wait = Math.min(delay + Math.random() * delay, Math.max(0, deadline - Date.now()))
      attempt += 1
      onLockWait?.({ attempt, delayMs: wait, reason: message })
      await new Promise((resolvePromise) => setTimeout(resolvePromise, wait))
      delay = Math.min(delay * 2, 1000)
    }
  }
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`
}

function wrap(
  path: string,
  instance: DuckDBInstance,
  connection: DuckDBConnection,
  version: number,
  notices: readonly string[],
  configurationLocked: boolean,
): Database {
  let closed = false
  const database: Database = {
    path,
    connection,
    schemaVersion: version,
    notices,
    configurationLocked,
    async query<T>(sql: string, params?: DuckDBValue[]): Promise<T[]> {
      const reader = await connection.runAndReadAll(sql, params)
      return reader.getRowObjectsJS() as T[]
    },
    async run(sql: string, params?: DuckDBValue[]): Promise<void> {
      await connection.run(sql, params)
    },
    async transaction<T>(body: () => Promise<T>): Promise<T> {
      await connection.run('BEGIN TRANSACTION')
      try {
        const result = await body()
        await connection.run('COMMIT')
        return result
      } catch (error) {
        await connection.run('ROLLBACK').catch(() => undefined)
        throw error
      }
    },
    close(): void {
      if (closed) return
      closed = true
      connection.closeSync()
      instance.closeSync()
    },
  }
  return database
}

/** Catalog names `attachDatabase` accepts (plain identifiers, never quoted). */
const ALIAS = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Attaches the strikes database at `path` read-only to `database` as catalog `alias`, under the trust
 * rule: its catalog is verified as `openDatabase` verifies a file, before anything reads it, and it is
 * detached again when refused (the same errors as `openDatabase`). The file's folder must be among the
 * `allowedDirectories` `database` was opened with (external access is otherwise off). Returns the
 * attached file's schema version (it is not migrated: read an older one accordingly). Read its tables as
 * `alias.main.<table>` with strikes' own SQL.
 */
export async function attachDatabase(database: Database, path: string, alias: string): Promise<number> {
  if (!ALIAS.test(alias))
    throw new TypeError(`strikes: cannot attach ${path} as "${alias}": not a plain name`)
  inspectDatabaseFile(path, true)
  const quoted = `'${path.replaceAll("'", "''")}'`
  try {
    await database.run(`ATTACH ${quoted} AS ${alias} (READ_ONLY)`)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new Error(`strikes: cannot attach the database ${path}: ${message}`, { cause: error })
  }
  try {
    const trusted = await verifyCatalog(database.connection, alias, path, { requireSchema: true })
    return trusted.version
  } catch (error) {
    await database.run(`DETACH ${alias}`).catch(() => undefined)
    throw error
  }
}
