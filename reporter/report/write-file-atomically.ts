/**
 * Writing the report file safely: the text goes to a new temporary file in the destination's folder
 * (created exclusively, so an existing file or symlink there is never opened) and is then renamed over
 * the destination path itself — a symlink at the destination is replaced, never followed.
 */
import { randomBytes } from 'node:crypto'
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'

/** Writing the report failed; nothing at the destination was changed. */
export class ReportWriteError extends Error {
  override name = 'ReportWriteError'
}

/** Writes `text` to `path` through a temporary file and a rename; returns the absolute path written. */
export function writeFileAtomically(path: string, text: string): string {
  const target = resolve(path)
  const folder = dirname(target)
  const temporary = join(folder, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`)
  let created = false
  try {
    mkdirSync(folder, { recursive: true })
    const fd = openSync(temporary, 'wx', 0o644)
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
    const reason = error instanceof Error ? error.message : String(error)
    throw new ReportWriteError(
      `strikes: cannot write the report to ${target} (${reason}). ` +
        'Point the `report` option (or `strikes report --out`) at a writable file, or set `report: false`; ' +
        'every result is still recorded in the database.',
      { cause: error },
    )
  }
}
