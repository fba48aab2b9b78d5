/**
 * The OpenTelemetry tracer strikes records with: a private tracer provider whose processors write the
 * spool (and, when configured, export OTLP), and the AsyncLocalStorage context manager that carries
 * parent spans across `await`.
 */
import { context, type Tracer } from '@opentelemetry/api'
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks'
import type { Resource } from '@opentelemetry/resources'
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node'
import { RecordingSpanProcessor } from './span-processor.js'

const TRACING = Symbol.for('strikes.tracing.v1')

interface TracingState {
  provider: NodeTracerProvider
  tracer: Tracer
}

type GlobalWithTracing = typeof globalThis & {
  [TRACING]?: TracingState
  [EXTRA]?: SpanProcessor[]
  [RESOURCE]?: Resource
}

const EXTRA = Symbol.for('strikes.tracing.extra-processors.v1')
const RESOURCE = Symbol.for('strikes.tracing.resource.v1')

/**
 * Adds span processors (for example an OTLP exporter) to the provider; must run before the first span.
 * Returns false when the tracer already exists.
 */
export function addSpanProcessors(processors: SpanProcessor[]): boolean {
  const scope = globalThis as GlobalWithTracing
  if (scope[TRACING] !== undefined) return false
  scope[EXTRA] = [...(scope[EXTRA] ?? []), ...processors]
  return true
}

/**
 * Sets the resource (service name, …) spans are exported with; must run before the first span. Without it
 * the provider's default resource is used. Returns false when the tracer already exists.
 */
export function setTracingResource(resource: Resource): boolean {
  const scope = globalThis as GlobalWithTracing
  if (scope[TRACING] !== undefined) return false
  scope[RESOURCE] = resource
  return true
}

/** The tracer strikes spans are created with (created on first use). */
export function strikesTracer(): Tracer {
  const scope = globalThis as GlobalWithTracing
  const existing = scope[TRACING]
  if (existing !== undefined) return existing.tracer
  // A context manager someone else registered is kept; otherwise AsyncLocalStorage carries the context.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable())
  const provider = new NodeTracerProvider({
    resource: scope[RESOURCE],
    spanProcessors: [new RecordingSpanProcessor(), ...(scope[EXTRA] ?? [])],
  })
  const state: TracingState = { provider, tracer: provider.getTracer('strikes') }
  scope[TRACING] = state
  return state.tracer
}

/** Flushes every span processor (the spool and any exporter). */
export async function flushTracing(): Promise<void> {
  await (globalThis as GlobalWithTracing)[TRACING]?.provider.forceFlush()
}
