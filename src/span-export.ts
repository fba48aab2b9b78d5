/**
 * The seam between recording and OpenTelemetry export: spans are recorded as plain records, and only
 * when OTLP export is on does each ended span also reach an exporter (see `otlp.ts`), which builds the
 * OpenTelemetry span from it — and its content attributes from the span's inputs, outputs and metrics —
 * when it sends it, not when the span ends.
 */
import type { AttributeValue, Metric } from './metrics.js'
import type { SpanRecord } from './shared/spool/format.js'

/** Attributes built when a span is exported (content that only exists on exported spans). */
export type ContentAttributes = Record<string, AttributeValue>

/** Builds a span's own content attributes (a model call's messages, a tool call's arguments) at export time. */
export type ContentBuilder = () => ContentAttributes

/** What an exporter needs of an ended span beyond its record. */
export interface EndedSpan {
  readonly record: SpanRecord
  readonly runId: string | undefined
  readonly sessionId: string | undefined
  /** OpenTelemetry span kind: `internal` (default) or `client` (a call to a model or service). */
  readonly otelKind: 'internal' | 'client'
  /** When the span ended, in microseconds since the Unix epoch. */
  readonly endedAtMicros: number
  /** The span's logged inputs, outputs and metric points (read at export time, never copied). */
  readonly inputs: Readonly<Record<string, unknown>>
  readonly outputs: Readonly<Record<string, unknown>>
  readonly metrics: Readonly<Record<string, readonly Metric[]>>
  /** Content attributes of its own, if the span has any (model calls, tool calls). */
  readonly content: ContentBuilder | undefined
}

/** Receives every ended span while export is on. */
export interface SpanExport {
  onEnd(span: EndedSpan): void
  /** Sends what is queued; never rejects, and never waits past its own bound. */
  flush(): Promise<void>
}
