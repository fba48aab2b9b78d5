/**
 * An ended strikes span as the OpenTelemetry SDK's exporters take it (a `ReadableSpan`), built from its
 * record only when OTLP export is on: the span's kind, label, run, session and tags as `strikes.*`
 * attributes, its content, metrics and scores (`otlp-content.ts`), its error as `error.type` and an
 * `exception` event, and span kind CLIENT for calls to a model.
 */
import type { Attributes, AttributeValue, HrTime } from '@opentelemetry/api'
import type { Resource } from '@opentelemetry/resources'
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base'
import type { AttributeValue as StrikesAttributeValue } from './metrics.js'
import { addContentAttributes, type ContentSettings } from './otlp-content.js'
import { ATTR } from './span-attributes.js'
import type { EndedSpan } from './span-export.js'

/** OpenTelemetry API's numbers for span kinds and status codes (`SpanKind`: INTERNAL 0, CLIENT 2; `SpanStatusCode`). */
const KIND = { internal: 0, client: 2 } as const
const STATUS = { ok: 1, error: 2 } as const
/** Attributes of the `exception` event rather than of the span. */
const EXCEPTION_KEYS = new Set(['exception.type', 'exception.message', 'exception.stacktrace'])

function hrTime(micros: number): HrTime {
  const seconds = Math.floor(micros / 1_000_000)
  return [seconds, Math.round((micros - seconds * 1_000_000) * 1000)]
}

/** Content export on, texts cut at 1 MiB: what tests that only look at spans use. */
const ALL_CONTENT: ContentSettings = { content: true, maxBytes: 1024 * 1024 }

/** The `ReadableSpan` of an ended span. */
export function toReadableSpan(
  ended: EndedSpan,
  resource: Resource,
  settings: ContentSettings = ALL_CONTENT,
): ReadableSpan {
  const record = ended.record
  const attributes: Attributes = { [ATTR.kind]: record.kind, [ATTR.label]: record.label }
  if (ended.runId !== undefined) attributes[ATTR.runId] = ended.runId
  if (ended.sessionId !== undefined) attributes[ATTR.sessionId] = ended.sessionId
  if (record.tags.length > 0) attributes[ATTR.tags] = [...record.tags]
  const exception: Attributes = {}
  for (const [key, value] of Object.entries(record.attributes)) {
    if (EXCEPTION_KEYS.has(key)) exception[key] = value as AttributeValue
    else attributes[key] = value as AttributeValue
  }
  if (record.error !== null && attributes['error.type'] === undefined)
    attributes['error.type'] = (exception['exception.type'] as string | undefined) ?? 'Error'
  addContentAttributes(attributes as Record<string, StrikesAttributeValue>, ended, settings)
  const events: TimedEvent[] =
    record.error === null
      ? []
      : [{ name: 'exception', time: hrTime(ended.endedAtMicros), attributes: exception }]
  const traceFlags = 1
  return {
    name: record.name,
    kind: KIND[ended.otelKind],
    spanContext: () => ({ traceId: record.trace_id, spanId: record.span_id, traceFlags }),
    parentSpanContext:
      record.parent_id === null
        ? undefined
        : { traceId: record.trace_id, spanId: record.parent_id, traceFlags },
    startTime: hrTime(record.started_at),
    endTime: hrTime(ended.endedAtMicros),
    duration: hrTime(record.duration_ms * 1000),
    status: record.error === null ? { code: STATUS.ok } : { code: STATUS.error, message: record.error },
    attributes,
    links: [],
    events,
    ended: true,
    resource,
    instrumentationScope: { name: 'strikes' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }
}
