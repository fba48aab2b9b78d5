/**
 * Creating a folder and its missing parents for a path strikes writes to (the spool, the database, the
 * report) with errors that say what and where in one line. Node's recursive `mkdir` is not used: under
 * `/proc` it spins forever; and paths under `/proc`, `/sys` and `/dev` are refused outright.
 */
import { lstatSync, mkdirSync, statSync } from 'node:fs'
import { dirname, resolve, sep } from 'node:path'

/** A path strikes must not write under: kernel and device file systems. */
const SYSTEM_ROOTS = ['/proc', '/sys', '/dev']

/** A folder could not be created (or a path is not one strikes may write under). */
export class FolderError extends Error {
  override name = 'FolderError'
}

/** True when `path` lies under `/proc`, `/sys` or `/dev`. */
export function underSystemFolder(path: string): boolean {
  const absolute = resolve(path)
  return SYSTEM_ROOTS.some((root) => absolute === root || absolute.startsWith(`${root}${sep}`))
}

/** A file-system error in words: `the file system is read-only`, `permission denied`, … */
export function fsReason(error: unknown, path?: string): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  switch (code) {
    case 'EROFS':
      return 'the file system is read-only'
    case 'EACCES':
    case 'EPERM':
      return 'permission denied'
    case 'ENOSPC':
      return 'no space left on the device'
    case 'ENOTDIR':
      return `${path ?? 'a part of the path'} is not a folder`
    case 'ENOENT':
      return `${path ?? 'a part of the path'} does not exist`
    case 'ELOOP':
      return 'too many symbolic links'
    case 'ENAMETOOLONG':
      return 'the name is too long'
    default:
      return error instanceof Error ? error.message : String(error)
  }
}

/**
 * Makes sure `dir` is a folder, creating it and its missing parents one at a time. `what` names it in
 * errors (`the spool folder`, `the report's folder`). Throws {@link FolderError}.
 */
export function makeFolder(dir: string, what: string): void {
  const target = resolve(dir)
  if (underSystemFolder(target)) {
    throw new FolderError(
      `strikes: cannot create ${what} ${target}: strikes does not write under /proc, /sys or /dev`,
    )
  }
  const missing: string[] = []
  let current = target
  while (true) {
    try {
      lstatSync(current)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      // ENOTDIR: a file is somewhere above; walking up finds it and names it.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && dirname(current) !== current) {
        missing.push(current)
        current = dirname(current)
        continue
      }
      throw new FolderError(`strikes: cannot create ${what} ${target}: ${fsReason(error, current)}`, {
        cause: error,
      })
    }
    let isFolder: boolean
    try {
      isFolder = statSync(current).isDirectory()
    } catch (error) {
      throw new FolderError(
        `strikes: cannot create ${what} ${target}: ${current} is a symbolic link to nothing (${fsReason(error)})`,
        { cause: error },
      )
    }
    if (!isFolder) {
      throw new FolderError(`strikes: cannot create ${what} ${target}: ${current} is a file, not a folder`)
    }
    break
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST' && statSync(folder).isDirectory()) continue
      throw new FolderError(`strikes: cannot create ${what} ${target}: ${fsReason(error, folder)}`, {
        cause: error,
      })
    }
  }
}
