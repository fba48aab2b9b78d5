/**
 * The worker side of the spool: appends record batches to a run's spool folder (see `format.ts`).
 * Writes are synchronous appends of whole batches, so what a batch flushed survives a killed worker.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { type RunEvent, SPOOL_FILES } from './format.js'

/** Size of the write buffer: a full buffer is written as one batch. */
export const DEFAULT_BATCH_BYTES = 64 * 1024
/** Age of the oldest pending record after which the next append flushes (bounds what a crash can lose). */
export const DEFAULT_FLUSH_INTERVAL_MS = 1000
/** Appends between two looks at the clock (reading it on every append would cost more than the append). */
const CLOCK_EVERY = 32

/** Appends newline-delimited JSON records for one run; never throws after opening (write errors are kept). */
export class SpoolWriter {
  readonly dir: string
  /** Pending UTF-8 lines, written straight into the buffer. */
  private readonly buffer: Buffer
  private used = 0
  private pendingRecords = 0
  private pendingSince = 0
  private appendsSinceClock = 0
  private readonly flushIntervalMs: number
  private readonly fds = new Map<string, number>()
  private closed = false
  /** The first write error, if any; records after it are counted in `droppedRecords`. */
  error: Error | undefined
  droppedRecords = 0
  private readonly onError: (error: Error) => void
  /** The clock the flush interval is measured with (the real one: a test faking time must not stop flushes). */
  private readonly now: () => number

  /** Creates the run's spool folder; throws a clear error when it cannot. */
  constructor(
    dir: string,
    options: {
      batchBytes?: number
      flushIntervalMs?: number
      onError?: (error: Error) => void
      now?: () => number
    } = {},
  ) {
    this.dir = dir
    this.buffer = Buffer.allocUnsafe(options.batchBytes ?? DEFAULT_BATCH_BYTES)
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS
    this.onError = options.onError ?? (() => {})
    this.now = options.now ?? Date.now
    try {
      mkdirSync(dir, { recursive: true })
    } catch (cause) {
      throw new Error(`strikes: cannot create the spool folder ${dir}: ${(cause as Error).message}`, {
        cause,
      })
    }
  }

  /** Queues one record line (without its newline); writes the batch when it is full or old. */
  append(line: string): void {
    if (this.error !== undefined || this.closed) {
      this.droppedRecords += 1
      return
    }
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const worst = line.length * 3 + 1
    if (this.used + worst > this.buffer.length) {
      this.flush()
      if (worst > this.buffer.length) {
        this.write(SPOOL_FILES.records, `${line}\n`, 1)
        return
      }
    }
    this.used += this.buffer.write(line, this.used)
    this.buffer[this.used++] = 0x0a
    if (this.pendingRecords++ === 0) this.pendingSince = this.now()
    if (++this.appendsSinceClock >= CLOCK_EVERY) {
      this.appendsSinceClock = 0
      if (this.now() - this.pendingSince >= this.flushIntervalMs) this.flush()
    }
  }

  /** Writes a run event at once (run events are rare and must survive a crash). */
  writeRunEvent(event: RunEvent): void {
    this.write(SPOOL_FILES.run, `${JSON.stringify(event)}\n`, 1)
  }

  /** Writes the pending batch to the records file (one write). */
  flush(): void {
    if (this.pendingRecords === 0) return
    const records = this.pendingRecords
    const used = this.used
    this.pendingRecords = 0
    this.used = 0
    this.write(SPOOL_FILES.records, this.buffer.subarray(0, used), records)
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

  private write(file: string, data: string | Buffer, records: number): void {
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
      const buffer = typeof data === 'string' ? Buffer.from(data) : data
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
