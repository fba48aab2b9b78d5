/**
 * Opening the strikes DuckDB file: refuses files that are not DuckDB (leaving them untouched) and a write-
 * ahead log that is a symbolic link (DuckDB would write through it), waits for another process's lock
 * with backoff, and brings the schema up to date with forward migrations.
 */
import {
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  readSync,
  statSync,
} from 'node:fs'
import { dirname } from 'node:path'
import type { DuckDBConnection, DuckDBInstance, DuckDBValue } from '@duckdb/node-api'
import { DEFAULT_LOCK_TIMEOUT_MS } from './defaults.js'
import { MIGRATIONS, SCHEMA_VERSION } from './schema.js'

/** An open database: one instance and one connection, closed together. */
export interface Database {
  readonly path: string
  readonly connection: DuckDBConnection
  /** Runs a query and returns its rows as plain JavaScript objects. */
  query<T = Record<string, unknown>>(sql: string, params?: DuckDBValue[]): Promise<T[]>
  /** Runs statements (no result). */
  run(sql: string, params?: DuckDBValue[]): Promise<void>
  /** Runs `body` in a transaction, rolled back if it throws. */
  transaction<T>(body: () => Promise<T>): Promise<T>
  close(): void
}

/** How to open the database. */
export interface OpenDatabaseOptions {
  /** Open read-only (queries only; the file must exist). */
  readOnly?: boolean
  /** How long to wait for another process's lock, in milliseconds (default 120,000). */
  lockTimeoutMs?: number
}

/** The file is not a DuckDB database; it was not modified. */
export class NotDuckDBError extends Error {
  override name = 'NotDuckDBError'
}

/** Another process held the lock for longer than the timeout. */
export class DatabaseLockedError extends Error {
  override name = 'DatabaseLockedError'
}

/** A file DuckDB writes beside the database is a symbolic link; nothing was opened or written. */
export class UnsafeDatabasePathError extends Error {
  override name = 'UnsafeDatabasePathError'
}

/** The database file does not exist (read-only opens). */
export class DatabaseMissingError extends Error {
  override name = 'DatabaseMissingError'
}

const DUCKDB_MAGIC = 'DUCK'

/** True when the file at `path` is empty or starts like a DuckDB database (magic bytes `DUCK` at offset 8). */
export function looksLikeDuckDB(path: string): boolean {
  const size = statSync(path).size
  if (size === 0) return true
  const header = Buffer.alloc(12)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, header, 0, 12, 0)
  } finally {
    closeSync(fd)
  }
  return size >= 12 && header.toString('latin1', 8, 12) === DUCKDB_MAGIC
}

/**
 * Refuses to open `path` when its write-ahead log (`<path>.wal`) is a symbolic link: DuckDB would write
 * its log through the link into whatever file it names.
 */
function refuseLinkedLog(path: string): void {
  const wal = `${path}.wal`
  let link: string
  try {
    if (!lstatSync(wal).isSymbolicLink()) return
    link = readlinkSync(wal)
  } catch {
    return
  }
  throw new UnsafeDatabasePathError(
    `strikes: ${wal} is a symbolic link (to ${link}); DuckDB would write its log through it, so ${path} was not ` +
      'opened and nothing was written. Remove the link.',
  )
}

function isLockError(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error)
  return /Could not set lock|Conflicting lock|database is locked/i.test(message)
}

/** Opens (creating when needed, unless read-only) the strikes database at `path`, migrated to the current schema. */
export async function openDatabase(path: string, options: OpenDatabaseOptions = {}): Promise<Database> {
  const readOnly = options.readOnly === true
  if (!readOnly) refuseLinkedLog(path)
  if (existsSync(path)) {
    if (!statSync(path).isFile()) {
      throw new NotDuckDBError(
        `strikes: ${path} is not a DuckDB database (it is a directory or a device); it was left untouched. ` +
          'Point the `db` option (or --db) at a file.',
      )
    }
    if (statSync(path).size === 0 && !readOnly) {
      // DuckDB cannot open an empty file; one is left by a process stopped as it created the database.
      throw new NotDuckDBError(
        `strikes: ${path} is an empty file, not a DuckDB database (a process may have been stopped while ` +
          'creating it); it was left untouched. Remove it and strikes creates the database afresh.',
      )
    }
    if (!looksLikeDuckDB(path)) {
      throw new NotDuckDBError(
        `strikes: ${path} is not a DuckDB database; it was left untouched. ` +
          'Move it away or point the `db` option (or --db) at another file.',
      )
    }
  } else if (readOnly) {
    throw new DatabaseMissingError(
      `strikes: no database at ${path} (run an eval with --reporter=strikes first, or pass --db)`,
    )
  } else {
    mkdirSync(dirname(path), { recursive: true })
  }
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const instance = await createWithRetry(
    DuckDBInstance,
    path,
    readOnly,
    options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
  )
  let connection: DuckDBConnection
  try {
    connection = await instance.connect()
  } catch (error) {
    instance.closeSync()
    throw error
  }
  const database = wrap(path, instance, connection)
  if (!readOnly) {
    try {
      await migrate(database)
    } catch (error) {
      database.close()
      throw error
    }
  }
  return database
}

async function createWithRetry(
  factory: typeof DuckDBInstance,
  path: string,
  readOnly: boolean,
  lockTimeoutMs: number,
): Promise<DuckDBInstance> {
  const deadline = Date.now() + lockTimeoutMs
  let delay = 25
  while (true) {
    try {
      return await factory.create(path, readOnly ? { access_mode: 'READ_ONLY' } : {})
    } catch (error) {
      if (!isLockError(error)) {
        const message = error instanceof Error ? error.message : String(error)
        if (/not a valid DuckDB database|invalid database file/i.test(message)) {
          throw new NotDuckDBError(
            `strikes: ${path} is not a DuckDB database (${message}); it was left untouched`,
          )
        }
        throw new Error(`strikes: cannot open the database ${path}: ${message}`, { cause: error })
      }
      if (Date.now() >= deadline) {
        const waited = lockTimeoutMs > 0 ? ` for ${formatWait(lockTimeoutMs)}` : ''
        throw new DatabaseLockedError(
          `strikes: the database ${path} stayed locked by another process${waited} ` +
            `(${error instanceof Error ? error.message : String(error)}); ` +
            'raise the `lockTimeoutMs` option to wait longer',
          { cause: error },
        )
      }
      await new Promise((resolve) => setTimeout(resolve, delay + Math.random() * delay))
      delay = Math.min(delay * 2, 1000)
    }
  }
}

function formatWait(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`
}

function wrap(path: string, instance: DuckDBInstance, connection: DuckDBConnection): Database {
  let closed = false
  const database: Database = {
    path,
    connection,
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

const SCHEMA_TABLE =
  'CREATE TABLE IF NOT EXISTS strikes_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)'

/**
 * Applies every migration newer than the database's schema version, each in its own transaction (the
 * `strikes_schema` table is created inside the first one, so a migration that fails leaves a database of
 * another application as it was).
 */
export async function migrate(database: Database): Promise<void> {
  const current = await schemaVersion(database)
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `strikes: ${database.path} has schema version ${current}, newer than this strikes (${SCHEMA_VERSION}); upgrade strikes`,
    )
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue
    try {
      await database.transaction(async () => {
        await database.run(SCHEMA_TABLE)
        for (const statement of migration.statements) await database.run(statement)
        await database.run('INSERT INTO strikes_schema VALUES (?, ?, current_timestamp::TIMESTAMP)', [
          migration.version,
          migration.description,
        ])
      })
    } catch (error) {
      throw new Error(
        `strikes: migrating ${database.path} to schema version ${migration.version} failed: ${(error as Error).message}`,
        { cause: error },
      )
    }
  }
}

/** The highest migration applied to the database; 0 for a database strikes never wrote. */
async function schemaVersion(database: Database): Promise<number> {
  const tables = await database.query(
    `SELECT 1 FROM information_schema.tables
     WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = 'strikes_schema'`,
  )
  if (tables.length === 0) return 0
  const rows = await database.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM strikes_schema',
  )
  return rows[0]?.version ?? 0
}
