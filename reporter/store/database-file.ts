/**
 * The database file before DuckDB opens it: what is at the path (a DuckDB file, an empty file, a
 * directory, another file), files DuckDB writes beside it that must not be symbolic links, and the
 * marker strikes leaves while it creates a database — so that a file left empty or half-written by a
 * failed first write (a full disk, a killed process) is recognised as strikes' own leftover and created
 * afresh, while any other file at the path is left untouched.
 */
import {
  closeSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs'
import { hostname } from 'node:os'

/** The file is not a DuckDB database; it was not modified. */
export class NotDuckDBError extends Error {
  override name = 'NotDuckDBError'
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

/** The marker strikes writes beside a database it is creating, removed once the schema is committed. */
export function creationMarkerPath(path: string): string {
  return `${path}.creating`
}

function exists(path: string): boolean {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/**
 * Refuses to open `path` when a file DuckDB writes beside it — its write-ahead log (`<path>.wal`) or its
 * temporary folder (`<path>.tmp`) — is a symbolic link: DuckDB would write through it.
 */
export function refuseLinkedCompanions(path: string): void {
  for (const companion of [`${path}.wal`, `${path}.tmp`]) {
    let link: string
    try {
      if (!lstatSync(companion).isSymbolicLink()) continue
      link = readlinkSync(companion)
    } catch {
      continue
    }
    throw new UnsafeDatabasePathError(
      `strikes: ${companion} is a symbolic link (to ${link}); DuckDB would write through it, so ${path} was not ` +
        'opened and nothing was written. Remove the link.',
    )
  }
}

/** What is at the database path, once leftovers of a failed creation are cleared. */
export interface DatabaseFileState {
  /** A file is at the path (DuckDB opens it); false: DuckDB creates it. */
  readonly exists: boolean
  /** Things to tell the user that lost nothing (a half-created database was created afresh). */
  readonly notices: readonly string[]
}

/**
 * Checks what is at `path` before DuckDB opens it. Refuses (leaving it untouched) a directory or
 * device, a file that is not DuckDB, and an empty file strikes did not create; an empty or unreadable
 * file that strikes' creation marker says it was creating is cleared (an unreadable one is kept aside as
 * `<path>.broken-<time>`), with a notice.
 */
export function inspectDatabaseFile(path: string, readOnly: boolean): DatabaseFileState {
  const notices: string[] = []
  const creating = exists(creationMarkerPath(path))
  if (!exists(path)) {
    if (readOnly) {
      throw new DatabaseMissingError(
        `strikes: no database at ${path} (run an eval with --reporter=strikes first, or pass --db)`,
      )
    }
    return { exists: false, notices }
  }
  const stat = statSync(path)
  if (!stat.isFile()) {
    throw new NotDuckDBError(
      `strikes: ${path} is not a DuckDB database (it is a directory or a device); it was left untouched. ` +
        'Point the `db` option (or --db) at a file.',
    )
  }
  if (stat.size === 0) {
    if (creating && !readOnly) {
      rmSync(path, { force: true })
      rmSync(`${path}.wal`, { force: true })
      notices.push(
        `strikes: ${path} was left empty by an earlier session that could not finish creating it (a full disk or ` +
          'a stopped process); it held nothing and was created afresh',
      )
      return { exists: false, notices }
    }
    // DuckDB cannot open an empty file, and one strikes did not create is not strikes' to remove.
    throw new NotDuckDBError(
      creating
        ? `strikes: ${path} is an empty database that an earlier session could not finish creating; the next ` +
            'vitest session creates it afresh'
        : `strikes: ${path} is an empty file, not a DuckDB database (strikes did not create it); it was left ` +
            'untouched. Remove it and strikes creates the database afresh.',
    )
  }
  if (!looksLikeDuckDB(path)) {
    throw new NotDuckDBError(
      `strikes: ${path} is not a DuckDB database; it was left untouched. ` +
        'Move it away or point the `db` option (or --db) at another file.',
    )
  }
  return { exists: true, notices }
}

/**
 * Moves aside a DuckDB file strikes' creation marker says it never finished creating (DuckDB cannot open
 * it); returns the notice to give, or `undefined` when the file is not such a leftover.
 */
export function setAsideHalfCreated(path: string): string | undefined {
  if (!exists(creationMarkerPath(path))) return undefined
  const aside = `${path}.broken-${new Date().toISOString().replace(/[:.]/g, '-')}`
  renameSync(path, aside)
  if (exists(`${path}.wal`)) renameSync(`${path}.wal`, `${aside}.wal`)
  return (
    `strikes: ${path} was left half-written by an earlier session that could not finish creating it (a full ` +
    `disk or a stopped process); it was moved to ${aside} and the database was created afresh`
  )
}

/** Writes the creation marker (exclusively, never through a link); throws a clear error when it cannot. */
export function markCreation(path: string): void {
  const marker = creationMarkerPath(path)
  rmSync(marker, { force: true })
  let fd: number
  try {
    fd = openSync(marker, 'wx', 0o644)
  } catch (error) {
    throw new Error(`strikes: cannot create the database ${path}: ${(error as Error).message}`, {
      cause: error,
    })
  }
  try {
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), started_at: Date.now() }))
  } catch {
    // The marker's presence is what counts; its content is for people.
  } finally {
    closeSync(fd)
  }
}

/** Removes the creation marker once the schema is committed. */
export function clearCreationMark(path: string): void {
  rmSync(creationMarkerPath(path), { force: true })
}
