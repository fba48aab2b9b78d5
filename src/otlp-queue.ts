/**
 * The export queue of a worker: ended spans wait here (as records, not yet OpenTelemetry spans) and go
 * to the exporter in batches — when a batch fills, when a test ends, after a short delay, and all of them
 * when a file ends. It never drops silently: a full queue or a failed export is counted, and the counts
 * go to the session's spool folder for the reporter to record and print. The first failed export gives
 * up export for the whole session (a mark in the spool folder tells the other workers), so a collector
 * that is down costs one export timeout per session, not one per file.
 */
import type { ExportResult } from '@opentelemetry/core'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { describeThrown } from './serialise.js'
import { collectorDown, markCollectorDown, recordExportCounts } from './shared/spool/otlp-outcome.js'
import type { EndedSpan, SpanExport } from './span-export.js'

/** Export requests in flight at once. */
const MAX_IN_FLIGHT = 2
/** Time beyond the export timeout to wait for an exporter that never answers. */
const GRACE_MS = 100
/** Longest stretch of one tick of the responsive clock (a blocked event loop counts at most this much). */
const TICK_MS = 50

/** What a queue sends to, and how. */
export interface ExportQueueOptions {
  /** Where spans go (for messages). */
  readonly url: string
  /**
   * Loads the exporter and the span converter (the OpenTelemetry modules), called when the first batch is
   * sent — so loading them overlaps the file's tests; `undefined` when export was given up before this
   * worker started (spans are then only counted).
   */
  readonly load: (() => Promise<Sender>) | undefined
  readonly timeoutMs: number
  readonly maxQueueSize: number
  readonly batchSize: number
  readonly scheduleDelayMs: number
  /** The session's spool folder (counts, the collector-down mark); `undefined` outside a recorded session. */
  readonly sessionDir: string | undefined
}

/** What sends batches: the exporter, and how a record becomes the span it takes. */
export interface Sender {
  readonly exporter: SpanExporter
  /** Builds the OpenTelemetry span of a record when its batch is sent. */
  readonly convert: (span: EndedSpan) => ReadableSpan
}

/** The export queue of one worker. */
export class ExportQueue implements SpanExport {
  readonly #options: ExportQueueOptions
  readonly #clock = new ResponsiveClock()
  #pending: EndedSpan[] = []
  readonly #inFlight = new Set<Promise<void>>()
  #timer: NodeJS.Timeout | undefined
  #down: boolean
  #sender: Promise<Sender | undefined> | undefined
  /** Spans sent and acknowledged, and spans not exported (queue full, export failed, export given up). */
  exported = 0
  dropped = 0
  #reportedExported = 0
  #reportedDropped = 0

  constructor(options: ExportQueueOptions) {
    this.#options = options
    this.#down = options.load === undefined
  }

  /** The sender, loaded on first use; `undefined` (and export given up) when it cannot be loaded. */
  #loadSender(): Promise<Sender | undefined> {
    this.#sender ??= (this.#options.load?.() ?? Promise.resolve(undefined)).catch((error: unknown) => {
      this.#giveUp(`the exporter could not be loaded: ${describeThrown(error)}`)
      return undefined
    })
    return this.#sender
  }

  /** True once export was given up for the session. */
  get down(): boolean {
    return this.#down
  }

  onEnd(span: EndedSpan): void {
    if (this.#down || this.#pending.length >= this.#options.maxQueueSize) {
      this.dropped += 1
      return
    }
    this.#pending.push(span)
    // A test's span is the last of its test: its trace goes out now rather than after the delay.
    if (this.#pending.length >= this.#options.batchSize || span.record.kind === 'test') this.#send()
    else this.#timer ??= unref(setTimeout(() => this.#send(), this.#options.scheduleDelayMs))
  }

  /**
   * Sends everything queued and waits for it, as long as the collector keeps answering (each wait is bounded
   * by the export timeout); then writes this worker's counts to the session folder. Never rejects.
   */
  async flush(): Promise<void> {
    const limit = this.#options.timeoutMs + GRACE_MS
    // Loading the exporter is the worker's own time, not the collector's: it is not timed.
    if (!this.#down && (this.#pending.length > 0 || this.#inFlight.size > 0)) await this.#loadSender()
    while (!this.#down && (this.#pending.length > 0 || this.#inFlight.size > 0)) {
      this.#send()
      const progress = await this.#clock.race([...this.#inFlight], limit)
      if (!progress) this.#giveUp(`no answer within ${this.#options.timeoutMs} ms`)
    }
    // Requests still in flight when export was given up settle within their own bound.
    while (this.#inFlight.size > 0) await this.#clock.race([...this.#inFlight], limit)
    this.#reportCounts()
  }

  #send(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    while (!this.#down && this.#pending.length > 0 && this.#inFlight.size < MAX_IN_FLIGHT) {
      const sessionDir = this.#options.sessionDir
      if (sessionDir !== undefined && collectorDown(sessionDir) !== undefined) {
        // Another worker found the collector down: do not try again (it gave the warning).
        this.#giveUp(undefined)
        return
      }
      const batch = this.#pending.length <= this.#options.batchSize ? this.#pending : undefined
      const sending = batch ?? this.#pending.splice(0, this.#options.batchSize)
      if (batch !== undefined) this.#pending = []
      const request = this.#export(sending).finally(() => {
        this.#inFlight.delete(request)
        if (this.#pending.length >= this.#options.batchSize) this.#send()
        else if (this.#pending.length > 0)
          this.#timer ??= unref(setTimeout(() => this.#send(), this.#options.scheduleDelayMs))
      })
      this.#inFlight.add(request)
    }
  }

  async #export(batch: EndedSpan[]): Promise<void> {
    const sender = await this.#loadSender()
    if (sender === undefined || this.#down) {
      this.dropped += batch.length
      return
    }
    const exporter = sender.exporter
    const spans: ReadableSpan[] = []
    for (const ended of batch) {
      try {
        spans.push(sender.convert(ended))
      } catch {
        // A span whose content cannot be read (a getter that throws) is counted, not exported.
        this.dropped += 1
      }
    }
    if (spans.length === 0) return
    const answered = new Promise<ExportResult>((resolve) => {
      try {
        exporter.export(spans, resolve)
      } catch (error) {
        resolve({ code: 1, error: error as Error })
      }
    })
    // Timed on the responsive clock: time the worker spent busy (a long synchronous burst of tasks, during
    // which no answer can be read) does not count against the collector.
    const result = await this.#clock.within(answered, this.#options.timeoutMs + GRACE_MS)
    if (result !== undefined && result.code === 0) {
      this.exported += spans.length
      return
    }
    this.dropped += spans.length
    const reason =
      result === undefined
        ? `no answer within ${this.#options.timeoutMs} ms`
        : result.error === undefined
          ? 'the export failed'
          : describeThrown(result.error)
    this.#giveUp(reason)
  }

  /** Stops exporting for the session: what is queued is counted as dropped; the first worker to give up warns. */
  #giveUp(reason: string | undefined): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer)
      this.#timer = undefined
    }
    this.dropped += this.#pending.length
    this.#pending = []
    if (this.#down) return
    this.#down = true
    if (reason === undefined) return
    const { url, sessionDir } = this.#options
    const warn = (): void =>
      console.warn(
        `strikes: OTLP export to ${url} failed (${reason}); export is off for the rest of this session and ` +
          'the spans not sent are counted in the session summary — every span is still recorded in DuckDB ' +
          '(check that the collector is running, the OTEL_EXPORTER_OTLP_* settings, or raise OTEL_EXPORTER_OTLP_TIMEOUT)',
      )
    if (sessionDir === undefined) warn()
    else if (markCollectorDown(sessionDir, { url, reason, at: Date.now() })) warn()
  }

  /** Appends what changed since the last report to the session's counts. */
  #reportCounts(): void {
    const sessionDir = this.#options.sessionDir
    if (sessionDir === undefined) return
    const exported = this.exported - this.#reportedExported
    const dropped = this.dropped - this.#reportedDropped
    this.#reportedExported = this.exported
    this.#reportedDropped = this.dropped
    recordExportCounts(sessionDir, { exported, dropped })
  }
}

/**
 * A clock of the time the event loop was free to run: it advances in ticks of at most `TICK_MS`, so a
 * stretch in which the worker was busy (and could not have read any answer) counts as one tick.
 */
class ResponsiveClock {
  /** `work`'s value, or `undefined` when `ms` of responsive time pass first. */
  async within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<undefined>((resolve) => {
      let elapsed = 0
      let last = performance.now()
      timer = unref(
        setInterval(() => {
          const now = performance.now()
          elapsed += Math.min(now - last, TICK_MS)
          last = now
          if (elapsed >= ms) resolve(undefined)
        }, TICK_MS / 2),
      )
    })
    try {
      return await Promise.race([work, late])
    } finally {
      clearInterval(timer)
    }
  }

  /** True when one of `work` settles within `ms` of responsive time (true at once when there is none). */
  async race(work: Promise<void>[], ms: number): Promise<boolean> {
    if (work.length === 0) return true
    return (
      (await this.within(
        Promise.race(work).then(() => true as const),
        ms,
      )) === true
    )
  }
}

function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref()
  return timer
}
