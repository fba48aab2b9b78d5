/**
 * Writing the report file safely. The destination must be a regular file or nothing: a symbolic link,
 * FIFO, device, socket or folder there is refused (never replaced, never written through), and paths
 * under `/proc`, `/sys` and `/dev` are refused outright. The text goes to a new temporary file in the
 * destination's folder (created exclusively, so an existing file or link there is never opened) and is
 * then renamed over the destination, so a reader never sees half a report.
 */
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  openSync,
  realpathSync,
  renameSync,
  rmSync,
  type Stats,
  writeSync,
} from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { fsReason, makeFolder, underSystemFolder } from '../../src/shared/make-folder.js'

/** Writing the report failed; nothing at the destination was changed. */
export class ReportWriteError extends Error {
  override name = 'ReportWriteError'
}

/** What a non-regular file at the destination is, in words; `undefined` for a regular file. */
function notRegular(stat: Stats): string | undefined {
  if (stat.isFile()) return undefined
  if (stat.isSymbolicLink()) return 'a symbolic link'
  if (stat.isDirectory()) return 'a folder'
  if (stat.isFIFO()) return 'a FIFO (named pipe)'
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device'
  if (stat.isSocket()) return 'a socket'
  return 'not a regular file'
}

function refuse(target: string, reason: string, cause?: unknown): ReportWriteError {
  return new ReportWriteError(
    `strikes: cannot write the report to ${target} (${reason}). ` +
      'Point the `report` option (or `strikes report --out`) at a writable file, or set `report: false`; ' +
      'every result is still recorded in the database.',
    { cause },
  )
}

/** Writes `text` to `path` through a temporary file and a rename; returns the absolute path written. */
export function writeFileAtomically(path: string, text: string): string {
  const target = resolve(path)
  if (underSystemFolder(target)) throw refuse(target, 'strikes does not write under /proc, /sys or /dev')
  let existing: Stats | undefined
  try {
    existing = lstatSync(target)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
      throw refuse(target, fsReason(error, target), error)
  }
  const kind = existing === undefined ? undefined : notRegular(existing)
  if (kind !== undefined) {
    throw refuse(
      target,
      `it is ${kind}; strikes writes reports only to regular files and never replaces anything else`,
    )
  }
  const folder = dirname(target)
  try {
    makeFolder(folder, "the report's folder")
  } catch (error) {
    throw refuse(target, (error as Error).message.replace(/^strikes: /, ''), error)
  }
  // The folder may be a link into a system folder.
  let real: string
  try {
    real = realpathSync(folder)
  } catch (error) {
    throw refuse(target, fsReason(error, folder), error)
  }
  if (underSystemFolder(real))
    throw refuse(target, `its folder is ${real}; strikes does not write under /proc, /sys or /dev`)
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  let created = false
  try {
    const fd = openSync(
      temporary,
      constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0),
      0o644,
    )
    created = true
    try {
      const buffer = Buffer.from(text, 'utf8')
      let written = 0
      while (written < buffer.length) written += writeSync(fd, buffer, written, buffer.length - written)
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temporary, target)
    created = false
    return target
  } catch (error) {
    if (created) rmSync(temporary, { force: true })
    throw refuse(target, fsReason(error), error)
  }
}
