/**
 * Starting strikes spans: each task call, `taskSpan` block and test case opens a real OpenTelemetry span
 * under the active context, wrapped in a `TaskSpan`, and a context in which it is the parent.
 */
import { type Attributes, type Context, context, trace } from '@opentelemetry/api'
import { TaskCancelledError } from './errors.js'
import type { AttributeValue } from './metrics.js'
import type { SpanKind } from './record.js'
import { activeRun, type Run } from './run.js'
import { runtime } from './runtime.js'
import { ATTR } from './span-processor.js'
import { TaskSpan, type TestScope } from './task-span.js'
import { strikesTracer } from './tracing.js'

/** What a span is started with. */
export interface SpanStart {
  readonly name: string
  readonly label: string
  readonly kind: SpanKind
  readonly tags?: readonly string[]
  readonly attributes?: Readonly<Record<string, AttributeValue>>
  /** Trial index of a `many`/count-form call. */
  readonly trial?: number
  /** The run to record in (default: the active run). */
  readonly run?: Run | undefined
  /** The context to start under (default: the active context). */
  readonly parentContext?: Context
}

/** A started span and the context in which it is the parent of what runs next. */
export interface StartedSpan<R> {
  readonly span: TaskSpan<R>
  readonly context: Context
}

/** Starts a span under the active context (or the given one). */
export function startSpan<R>(start: SpanStart): StartedSpan<R> {
  const parentContext = start.parentContext ?? context.active()
  const run = start.run ?? activeRun()
  const attributes: Attributes = { [ATTR.kind]: start.kind, [ATTR.label]: start.label }
  if (start.attributes !== undefined) Object.assign(attributes, start.attributes)
  if (run !== undefined) {
    attributes[ATTR.runId] = run.id
    attributes[ATTR.sessionId] = run.sessionId
  }
  if (start.trial !== undefined) attributes[ATTR.trial] = start.trial
  const startedAt = Date.now()
  const otel = strikesTracer().startSpan(start.name, { attributes }, parentContext)
  const span = new TaskSpan<R>({
    name: start.name,
    label: start.label,
    kind: start.kind,
    tags: start.tags === undefined ? [] : [...start.tags],
    otel,
    run,
    parent: parentContext.getValue(runtime.keys.span) as TaskSpan | undefined,
    test: (parentContext.getValue(runtime.keys.test) as TestScope | undefined) ?? run?.scope,
    startedAt,
  })
  let spanContext = trace.setSpan(parentContext, otel).setValue(runtime.keys.span, span)
  if (start.trial !== undefined) spanContext = spanContext.setValue(runtime.keys.trial, start.trial)
  return { span, context: spanContext }
}

/**
 * Closes a scope (a test case, or a run) and ends every span still open in it as cancelled: nothing is
 * left open when its test or file ends, and tasks started later are cancelled at once.
 */
export function cancelOpenSpans(scope: TestScope, owner: string): void {
  scope.closed = true
  for (const open of [...scope.open]) {
    open.fail(
      new TaskCancelledError(`task "${open.name}" was still running when ${owner} ended; it was cancelled`),
    )
  }
}

/** The scope (test case, else run) the calling code is in, if it has ended. */
export function endedScope(run: Run | undefined): TestScope | undefined {
  const scope = (context.active().getValue(runtime.keys.test) as TestScope | undefined) ?? run?.scope
  return scope?.closed === true ? scope : undefined
}

/** The innermost open task or `taskSpan` of the calling code (test-case spans excluded). */
export function innermostSpan(): TaskSpan | undefined {
  const span = context.active().getValue(runtime.keys.span) as TaskSpan | undefined
  return span !== undefined && span.kind !== 'test' ? span : undefined
}

/** The trial index of the calling `many`/count-form call, if any. */
export function currentTrial(): number | undefined {
  return context.active().getValue(runtime.keys.trial) as number | undefined
}
