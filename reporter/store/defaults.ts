/** Where the store lives and how long it waits, unless the options say otherwise. */

/** The database, relative to the Vitest root (or the working directory for the CLI). */
export const DEFAULT_DB_PATH = '.strikes/strikes.duckdb'

/** How long to wait for another process's lock on the database, in milliseconds. */
export const DEFAULT_LOCK_TIMEOUT_MS = 120_000
