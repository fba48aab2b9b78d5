/** The database a CLI command reads: `--db` (default `.strikes/strikes.duckdb`), opened read-only. */
import { resolve } from 'node:path'
import { type Database, openDatabase } from '../store/database.js'
import { DEFAULT_DB_PATH } from '../store/defaults.js'

/** How long the CLI waits for a writer (a running `vitest`) to release the file. */
const CLI_LOCK_TIMEOUT_MS = 10_000

/** What a command may do beyond reading the database. */
export interface CliDatabaseOptions {
  /** Folders DuckDB may write (an export); none by default. */
  readonly allowedDirectories?: readonly string[]
}

/**
 * Opens the database at `db` (relative to `cwd`) read-only, under the trust rule (see
 * `reporter/store/trust.ts`); throws `DatabaseMissingError` when there is none.
 */
export async function openCliDatabase(
  db: string | undefined,
  cwd: string,
  options: CliDatabaseOptions = {},
): Promise<Database> {
  return openDatabase(resolve(cwd, db ?? DEFAULT_DB_PATH), {
    readOnly: true,
    lockTimeoutMs: CLI_LOCK_TIMEOUT_MS,
    allowedDirectories: options.allowedDirectories,
  })
}

/** Runs `body` with the read-only database, closing it afterwards. */
export async function withCliDatabase<T>(
  db: string | undefined,
  cwd: string,
  body: (database: Database) => Promise<T>,
  options: CliDatabaseOptions = {},
): Promise<T> {
  const database = await openCliDatabase(db, cwd, options)
  try {
    return await body(database)
  } finally {
    database.close()
  }
}
