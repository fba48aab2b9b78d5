/**
 * Captures the OpenTelemetry spans strikes ends in this test process (installed before the first span),
 * so tests can read their attributes and parent links.
 */
import { InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { addSpanProcessors, strikesTracer } from '../../src/tracing.js'

const exporter = new InMemorySpanExporter()

/** Installs the capturing processor; call at the top of a test file, before any span. */
export function captureSpans(): void {
  if (!addSpanProcessors([new SimpleSpanProcessor(exporter)])) {
    throw new Error('captureSpans() must run before the first strikes span of the process')
  }
  strikesTracer()
}

/** Ended spans so far. */
export function endedSpans(): ReadableSpan[] {
  return exporter.getFinishedSpans()
}

/** The ended span with this id. */
export function spanById(spanId: string): ReadableSpan | undefined {
  return endedSpans().find((span) => span.spanContext().spanId === spanId)
}
