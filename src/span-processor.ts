/**
 * The span processor that turns ended OpenTelemetry spans of strikes into spool span records, routed to
 * the recorder of the run named in the span's `strikes.run_id` attribute.
 */
import { type Attributes, SpanStatusCode } from '@opentelemetry/api'
import { hrTimeToMicroseconds, hrTimeToMilliseconds } from '@opentelemetry/core'
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { SpanKind, SpanRecordV1 } from './record.js'
import { runtime } from './runtime.js'

/** Attribute names strikes sets on its spans (documented for OTLP consumers). */
export const ATTR = {
  kind: 'strikes.kind',
  label: 'strikes.label',
  runId: 'strikes.run_id',
  sessionId: 'strikes.session_id',
  tags: 'strikes.tags',
  trial: 'strikes.trial',
  cancelled: 'strikes.cancelled',
} as const

const STRUCTURAL = new Set<string>([ATTR.kind, ATTR.label, ATTR.runId, ATTR.sessionId, ATTR.tags])

/** Builds the spool record of an ended strikes span. */
export function toSpanRecord(span: ReadableSpan): SpanRecordV1 {
  const attributes = span.attributes
  const record: Record<string, unknown> = {}
  for (const key in attributes) if (!STRUCTURAL.has(key)) record[key] = attributes[key]
  let error: string | null = null
  if (span.status.code === SpanStatusCode.ERROR) {
    error = span.status.message ?? 'error'
    for (const event of span.events) {
      if (event.name === 'exception' && event.attributes !== undefined)
        copyAttributes(event.attributes, record)
    }
  }
  const tags = attributes[ATTR.tags]
  return {
    span_id: span.spanContext().spanId,
    trace_id: span.spanContext().traceId,
    parent_id: span.parentSpanContext?.spanId ?? null,
    kind: (attributes[ATTR.kind] as SpanKind | undefined) ?? 'span',
    name: span.name,
    label: String(attributes[ATTR.label] ?? ''),
    tags: Array.isArray(tags) ? tags.map(String) : [],
    status: error === null ? 'ok' : 'error',
    error,
    started_at: hrTimeToMicroseconds(span.startTime),
    duration_ms: hrTimeToMilliseconds(span.duration),
    attributes: record,
  }
}

function copyAttributes(from: Attributes, to: Record<string, unknown>): void {
  for (const key in from) to[key] = from[key]
}

/** Writes each ended strikes span to its run's spool; spans of no open run are left alone. */
export class RecordingSpanProcessor implements SpanProcessor {
  onStart(_span: Span): void {}

  onEnd(span: ReadableSpan): void {
    const runId = span.attributes[ATTR.runId]
    if (typeof runId !== 'string') return
    const recorder = runtime.runs.get(runId)?.recorder
    if (recorder !== undefined) recorder.recordSpan(toSpanRecord(span))
  }

  async forceFlush(): Promise<void> {
    for (const run of runtime.runs.values()) run.recorder?.flush()
  }

  async shutdown(): Promise<void> {
    await this.forceFlush()
  }
}
