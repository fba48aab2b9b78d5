/**
 * Captures the spans strikes ends in this test process as OpenTelemetry export would see them (through
 * the export seam, converted as the OTLP exporter converts them), so tests can read their attributes,
 * status and parent links.
 */
import { resourceFromAttributes } from '@opentelemetry/resources'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { toReadableSpan } from '../../src/otlp-span.js'
import { runtime } from '../../src/runtime.js'

const ended: ReadableSpan[] = []
const resource = resourceFromAttributes({ 'service.name': 'strikes-tests' })

/** Installs the capturing exporter; call at the top of a test file, before any span. */
export function captureSpans(): void {
  if (runtime.exporter !== undefined) throw new Error('captureSpans(): an exporter is already installed')
  runtime.exporter = {
    onEnd: (span) => ended.push(toReadableSpan(span, resource)),
    flush: async () => {},
  }
}

/** Ended spans so far. */
export function endedSpans(): ReadableSpan[] {
  return ended
}

/** The ended span with this id. */
export function spanById(spanId: string): ReadableSpan | undefined {
  return ended.find((span) => span.spanContext().spanId === spanId)
}
