/**
 * What strikes trusts in a spool folder it did not just create. A spool left on disk may come from
 * anywhere — a CI cache restored by tar, a download, another user — so a folder or file is used only
 * when it is what it claims: a real folder or regular file (never a symbolic link), owned by the user
 * strikes runs as, and (for files) with no other hard link. Files are opened with `O_NOFOLLOW`, so a
 * link planted after the check is not followed either.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, type Stats } from 'node:fs'

/** A spool folder or file strikes would not read or change, and why. */
export interface RefusedSpoolPath {
  readonly path: string
  readonly reason: string
}

/**
 * `open` flags for a spool file strikes did not just create: never follow a symbolic link at the last
 * path component, and never block (a FIFO planted in a spool would otherwise hang the open).
 */
export const NO_FOLLOW = (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** The user id strikes runs as, or `undefined` where the platform has none. */
function currentUser(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined
}

/** Why `stat` (of `path`, from `lstat` or `fstat`) cannot be trusted as a spool `kind`; `undefined` when it can. */
export function distrust(stat: Stats, kind: 'folder' | 'file'): string | undefined {
  if (stat.isSymbolicLink()) return 'it is a symbolic link'
  if (kind === 'folder' && !stat.isDirectory()) return 'it is not a folder'
  if (kind === 'file' && !stat.isFile()) return 'it is not a regular file'
  const user = currentUser()
  if (user !== undefined && stat.uid !== user)
    return `it belongs to user ${stat.uid}, not to you (user ${user})`
  if (kind === 'file' && stat.nlink > 1) return 'it has other hard links'
  return undefined
}

/** Why the folder or file at `path` cannot be trusted (`undefined` when it can, or when it does not exist). */
export function untrustedSpoolPath(path: string, kind: 'folder' | 'file'): string | undefined {
  let stat: Stats
  try {
    stat = lstatSync(path)
  } catch {
    return undefined
  }
  return distrust(stat, kind)
}

/** An error naming a spool path strikes refused. */
export class UnsafeSpoolError extends Error {
  override name = 'UnsafeSpoolError'
}

/**
 * Opens a spool file strikes did not just create — never through a symbolic link — and checks the
 * open file (owner, regular, single link); throws {@link UnsafeSpoolError} saying why it refuses it.
 */
export function openTrustedSpoolFile(path: string, flags: number): number {
  let fd: number
  try {
    fd = openSync(path, flags | NO_FOLLOW)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ELOOP')
      throw new UnsafeSpoolError(`strikes: refused the spool file ${path}: it is a symbolic link`)
    if (code === 'ENXIO')
      throw new UnsafeSpoolError(`strikes: refused the spool file ${path}: it is not a regular file`)
    throw error
  }
  const reason = distrust(fstatSync(fd), 'file')
  if (reason !== undefined) {
    closeSync(fd)
    throw new UnsafeSpoolError(`strikes: refused the spool file ${path}: ${reason}`)
  }
  return fd
}
