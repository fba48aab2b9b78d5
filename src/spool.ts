/**
 * The worker side of the spool: appends record batches to a run's spool folder (see `record.ts`).
 * Writes are synchronous appends of whole batches, so what a batch flushed survives a killed worker.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { type RunEventV1, SPOOL_FILES, type SpoolTable } from './record.js'

/** Pending bytes after which all tables are flushed. */
export const DEFAULT_BATCH_BYTES = 64 * 1024
/** Age of the oldest pending record after which the next append flushes (bounds what a crash can lose). */
export const DEFAULT_FLUSH_INTERVAL_MS = 1000

const TABLES = Object.keys(SPOOL_FILES).filter((name) => name !== 'run') as SpoolTable[]

/** Appends newline-delimited JSON records for one run; never throws after opening (write errors are kept). */
export class SpoolWriter {
  readonly dir: string
  private readonly batchBytes: number
  private readonly pending = new Map<SpoolTable, string[]>()
  private pendingBytes = 0
  private pendingSince = 0
  private readonly flushIntervalMs: number
  private readonly fds = new Map<string, number>()
  private closed = false
  /** The first write error, if any; records after it are counted in `droppedRecords`. */
  error: Error | undefined
  droppedRecords = 0
  private readonly onError: (error: Error) => void

  /** Creates the run's spool folder; throws a clear error when it cannot. */
  constructor(
    dir: string,
    options: { batchBytes?: number; flushIntervalMs?: number; onError?: (error: Error) => void } = {},
  ) {
    this.dir = dir
    this.batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    this.onError = options.onError ?? (() => {})
    try {
      mkdirSync(dir, { recursive: true })
    } catch (cause) {
      throw new Error(`strikes: cannot create the spool folder ${dir}: ${(cause as Error).message}`, {
        cause,
      })
    }
    for (const table of TABLES) this.pending.set(table, [])
  }

  /** Queues one record line (without its newline) for a table; flushes when the batch is full or old. */
  append(table: SpoolTable, line: string): void {
    if (this.error !== undefined || this.closed) {
      this.droppedRecords += 1
      return
    }
    ;(this.pending.get(table) as string[]).push(line)
    if (this.pendingBytes === 0) this.pendingSince = Date.now()
    this.pendingBytes += line.length + 1
    if (this.pendingBytes >= this.batchBytes || Date.now() - this.pendingSince >= this.flushIntervalMs)
      this.flush()
  }

  /** Writes a run event at once (run events are rare and must survive a crash). */
  writeRunEvent(event: RunEventV1): void {
    this.write(SPOOL_FILES.run, `${JSON.stringify(event)}\n`, 1)
  }

  /** Writes every queued record to its table file. */
  flush(): void {
    if (this.pendingBytes === 0) return
    this.pendingBytes = 0
    for (const [table, lines] of this.pending) {
      if (lines.length === 0) continue
      const text = `${lines.join('\n')}\n`
      const count = lines.length
      lines.length = 0
      this.write(SPOOL_FILES[table], text, count)
    }
  }

  /** Flushes and closes the files; later appends are counted as dropped. */
  close(): void {
    if (this.closed) return
    this.flush()
    this.closed = true
    for (const fd of this.fds.values()) {
      try {
        closeSync(fd)
      } catch {
        // already closed by the OS; nothing left to write
      }
    }
    this.fds.clear()
  }

  private write(file: string, text: string, records: number): void {
    if (this.error !== undefined || this.closed) {
      this.droppedRecords += records
      return
    }
    try {
      let fd = this.fds.get(file)
      if (fd === undefined) {
        fd = openSync(join(this.dir, file), 'a')
        this.fds.set(file, fd)
      }
      const buffer = Buffer.from(text)
      let offset = 0
      while (offset < buffer.length) offset += writeSync(fd, buffer, offset)
    } catch (cause) {
      const reason =
        (cause as NodeJS.ErrnoException).code === 'ENOSPC'
          ? 'no space left on the device'
          : (cause as Error).message
      this.error = new Error(
        `strikes: could not write to the spool file ${join(this.dir, file)} (${reason}); ` +
          `records written before this are kept in ${this.dir} and will be ingested`,
        { cause },
      )
      this.droppedRecords += records
      this.onError(this.error)
    }
  }
}
