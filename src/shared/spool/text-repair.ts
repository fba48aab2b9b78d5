/**
 * Repairing spool text DuckDB cannot read: a lone UTF-16 surrogate (as `JSON.stringify` writes a string
 * cut inside an emoji) or invalid UTF-8 makes DuckDB refuse the whole file holding it, so such text
 * becomes U+FFFD and the run is ingested rather than left out.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'

/**
 * A JSON escape: `\uXXXX` of a high surrogate (with the low surrogate escape that pairs it, if any), of a
 * low surrogate, or any other escape (kept as it is; matching it whole keeps `\\ud800` — an escaped
 * backslash followed by text — from being read as a surrogate).
 */
const JSON_ESCAPE =
  /\\(?:(u[dD][89abAB][0-9a-fA-F]{2})(\\u[dD][c-fC-F][0-9a-fA-F]{2})?|(u[dD][c-fC-F][0-9a-fA-F]{2})|[\s\S])/g
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F]/
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * JSON text DuckDB can read: a lone UTF-16 surrogate — escaped (`"\ud800"`, as `JSON.stringify` writes a
 * string cut inside an emoji) or raw — becomes U+FFFD. DuckDB refuses such text, and would refuse the
 * whole file holding it.
 */
export function wellFormedJsonText(text: string): string {
  const raw = text.replace(LONE_SURROGATE, '\uFFFD')
  if (!SURROGATE_ESCAPE.test(raw)) return raw
  return raw.replace(JSON_ESCAPE, (sequence, high?: string, low?: string, lone?: string) =>
    (high !== undefined && low === undefined) || lone !== undefined ? '\\ufffd' : sequence,
  )
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** One line of a spool file as DuckDB can read it, or `undefined` when it already can. */
function repairedLine(bytes: Buffer): string | undefined {
  let text: string
  try {
    text = UTF8.decode(bytes)
  } catch {
    // Invalid UTF-8: each bad sequence becomes U+FFFD.
    return wellFormedJsonText(bytes.toString('utf8'))
  }
  if (!SURROGATE_ESCAPE.test(text)) return undefined
  const repaired = wellFormedJsonText(text)
  return repaired === text ? undefined : repaired
}

/**
 * Rewrites a spool file in place so that DuckDB's JSON reader accepts its text (see `wellFormedJsonText`;
 * invalid UTF-8 also becomes U+FFFD); returns how many lines were changed. Lines are otherwise kept byte
 * for byte, and the file is replaced by a rename only when something changed.
 */
export function repairSpoolFile(file: string): number {
  const size = statSync(file).size
  const temporary = `${file}.repair`
  const input = openSync(file, 'r')
  let output: number | undefined
  let changed = 0
  try {
    output = openSync(temporary, 'w')
    const chunk = Buffer.alloc(1024 * 1024)
    let pieces: Buffer[] = []
    let position = 0
    const writeLine = (line: Buffer): void => {
      const repaired = repairedLine(line)
      if (repaired !== undefined) changed += 1
      writeAll(output as number, repaired === undefined ? line : Buffer.from(repaired))
    }
    while (position < size) {
      const read = readSync(input, chunk, 0, chunk.length, position)
      if (read === 0) break
      position += read
      let start = 0
      for (
        let newline = chunk.indexOf(0x0a, 0);
        newline !== -1 && newline < read;
        newline = chunk.indexOf(0x0a, start)
      ) {
        pieces.push(Buffer.from(chunk.subarray(start, newline)))
        writeLine(Buffer.concat(pieces))
        writeAll(output, NEWLINE)
        pieces = []
        start = newline + 1
      }
      if (start < read) pieces.push(Buffer.from(chunk.subarray(start, read)))
    }
    if (pieces.length > 0) writeLine(Buffer.concat(pieces))
  } finally {
    closeSync(input)
    if (output !== undefined) closeSync(output)
  }
  if (changed > 0) renameSync(temporary, file)
  else rmSync(temporary, { force: true })
  return changed
}

const NEWLINE = Buffer.from('\n')

function writeAll(fd: number, buffer: Buffer): void {
  let offset = 0
  while (offset < buffer.length) offset += writeSync(fd, buffer, offset)
}
