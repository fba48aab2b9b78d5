/**
 * Notices new data: the database file (and its write-ahead log) is looked at every second without opening
 * it; when it changed and pages are listening, the data version is read — without waiting for a writer's
 * lock: a locked file is read again on the next tick — and sent to the pages when it differs.
 */
import { DatabaseLockedError } from '../../store/database.js'
import { type DataVersion, loadDataVersion } from '../data/data-version.js'
import type { DatabaseLease } from '../data/database-lease.js'

/** What the watcher needs. */
export interface ChangeWatcherOptions {
  readonly lease: DatabaseLease
  /** Whether anyone listens (the file is only opened then). */
  readonly listening: () => boolean
  readonly onChange: (version: DataVersion) => void
  readonly intervalMs?: number
}

/** Polls the database file for changes. */
export class ChangeWatcher {
  readonly #options: ChangeWatcherOptions
  readonly #timer: NodeJS.Timeout
  #signature: string
  #pending = true
  #token: string | undefined
  #busy = false

  constructor(options: ChangeWatcherOptions) {
    this.#options = options
    this.#signature = options.lease.signature()
    this.#timer = setInterval(() => void this.#tick(), options.intervalMs ?? 1_000)
    this.#timer.unref()
  }

  /** Stops watching. */
  stop(): void {
    clearInterval(this.#timer)
  }

  async #tick(): Promise<void> {
    if (this.#busy) return
    const signature = this.#options.lease.signature()
    if (signature !== this.#signature) {
      this.#signature = signature
      this.#pending = true
    }
    if (!this.#pending || !this.#options.listening()) return
    this.#busy = true
    try {
      const version = await this.#options.lease.use((db) => loadDataVersion(db), { lockWaitMs: 0 })
      // The file may have changed while it was read: read again on the next tick.
      this.#pending = this.#options.lease.signature() !== signature
      if (version.token !== this.#token) {
        this.#token = version.token
        this.#options.onChange(version)
      }
    } catch (error) {
      // Locked by a writer: tried again on the next tick. Missing or refused: tried again when the file changes.
      if (!(error instanceof DatabaseLockedError)) this.#pending = false
    } finally {
      this.#busy = false
    }
  }
}
