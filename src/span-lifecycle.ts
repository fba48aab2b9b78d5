/**
 * Starting strikes spans: each task call, `taskSpan` block and test case opens a `TaskSpan` under the
 * caller's frame (its parent, run and test), and a frame in which it is the parent of what runs next.
 */
import { monotonicMs } from './clock.js'
import { activeFrame } from './current.js'
import type { Frame } from './frame.js'
import { newSpanId, newTraceId } from './ids.js'
import type { AttributeValue } from './metrics.js'
import { setEntry } from './own-entry.js'
import type { Run } from './run.js'
import { runtime } from './runtime.js'
import type { SpanKind } from './shared/spool/format.js'
import { ATTR } from './span-attributes.js'
import { TaskSpan } from './task-span.js'

/** What a span is started with. */
export interface SpanStart {
  readonly name: string
  readonly label: string
  readonly kind: SpanKind
  readonly tags?: readonly string[] | undefined
  readonly attributes?: Readonly<Record<string, AttributeValue>> | undefined
  /** Trial index of a `many`/count-form call. */
  readonly trial?: number | undefined
  /** The run to record in (default: the caller's). */
  readonly run?: Run | undefined
  /** The frame to start under (default: the caller's); a test case starts under an empty one. */
  readonly parent?: Frame
}

/** A started span and the frame in which it is the parent of what runs next. */
export interface StartedSpan<R> {
  readonly span: TaskSpan<R>
  readonly frame: Frame
}

/** Starts a span under the caller's frame (or the given one). */
export function startSpan<R>(start: SpanStart): StartedSpan<R> {
  const parentFrame = start.parent ?? activeFrame()
  const run = start.run ?? parentFrame.run ?? runtime.fileRun
  const attributes: Record<string, AttributeValue> = {}
  if (start.attributes !== undefined) {
    for (const key of Object.keys(start.attributes))
      setEntry(attributes, key, start.attributes[key] as AttributeValue)
  }
  if (start.trial !== undefined) attributes[ATTR.trial] = start.trial
  const parent = parentFrame.span
  const span = new TaskSpan<R>({
    name: start.name,
    label: start.label,
    kind: start.kind,
    tags: start.tags === undefined ? [] : [...start.tags],
    spanId: newSpanId(),
    traceId: parent?.traceId ?? newTraceId(),
    attributes,
    run,
    parent,
    test: parentFrame.test ?? run?.scope,
    trial: start.trial,
    startedAt: monotonicMs(),
    exporter: runtime.exporter,
  })
  const frame: Frame = {
    run: parentFrame.run,
    span,
    test: parentFrame.test,
    trial: start.trial ?? parentFrame.trial,
  }
  return { span, frame }
}
