/** The database a CLI command reads: `--db` (default `.strikes/strikes.duckdb`), opened read-only. */
import { resolve } from 'node:path'
import { type Database, openDatabase } from '../store/database.js'
import { DEFAULT_DB_PATH } from '../store/defaults.js'

/** How long the CLI waits for a writer (a running `vitest`) to release the file. */
const CLI_LOCK_TIMEOUT_MS = 10_000

/** Opens the database at `db` (relative to `cwd`) read-only; throws `DatabaseMissingError` when there is none. */
export async function openCliDatabase(db: string | undefined, cwd: string): Promise<Database> {
  return openDatabase(resolve(cwd, db ?? DEFAULT_DB_PATH), {
    readOnly: true,
    lockTimeoutMs: CLI_LOCK_TIMEOUT_MS,
  })
}

/** Runs `body` with the read-only database, closing it afterwards. */
export async function withCliDatabase<T>(
  db: string | undefined,
  cwd: string,
  body: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await openCliDatabase(db, cwd)
  try {
    return await body(database)
  } finally {
    database.close()
  }
}
