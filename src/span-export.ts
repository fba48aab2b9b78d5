/**
 * The seam between recording and OpenTelemetry export: spans are recorded as plain records, and only
 * when OTLP export is on does each ended span also reach an exporter (see `otlp.ts`), which builds the
 * OpenTelemetry span from it.
 */
import type { SpanRecord } from './shared/spool/format.js'

/** What an exporter needs of an ended span beyond its record. */
export interface EndedSpan {
  readonly record: SpanRecord
  readonly runId: string | undefined
  readonly sessionId: string | undefined
  /** OpenTelemetry span kind: `internal` (default) or `client` (a call to a model or service). */
  readonly otelKind: 'internal' | 'client'
  /** When the span ended, in microseconds since the Unix epoch. */
  readonly endedAtMicros: number
}

/** Receives every ended span while export is on. */
export interface SpanExport {
  onEnd(span: EndedSpan): void
  /** Sends what is queued; never rejects, and never waits past its own bound. */
  flush(): Promise<void>
}
