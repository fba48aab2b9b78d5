/**
 * Whether strikes may be about to write the database: a `vitest` session (or a `withRun` script) records
 * into a spool folder beside the database (`<db>.spool/<session id>/`, removed once ingested) and writes
 * the database at each file's end. While such a folder exists, the UI leaves the file alone now and then so
 * the writer can land; otherwise it keeps the file open while it is busy.
 */
import { readdirSync } from 'node:fs'

/** True when a spool folder of the database holds a session (a writer may be waiting for the file). */
export function writerMayBeActive(dbPath: string): boolean {
  try {
    return readdirSync(`${dbPath}.spool`).length > 0
  } catch {
    return false
  }
}
