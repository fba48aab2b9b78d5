/**
 * `taskSpan`: the recording of a task (timing, inputs, outputs, metrics, failure) around a block of code,
 * without a function to decorate.
 */
import { runInFrame } from './current.js'
import { toError } from './errors.js'
import { deriveLabel } from './labels.js'
import type { AttributeValue } from './metrics.js'
import { startSpan } from './span-lifecycle.js'
import type { TaskSpan } from './task-span.js'

/** Options of `taskSpan`. */
export interface TaskSpanOptions {
  /** Metric prefix on the run; default: derived from the name. */
  label?: string
  tags?: readonly string[]
  attributes?: Readonly<Record<string, AttributeValue>>
}

/** Runs `body` inside a new span and returns what it returns; the span fails (and this rejects) if it throws. */
export function taskSpan<T>(name: string, body: (span: TaskSpan) => T | Promise<T>): Promise<T>
export function taskSpan<T>(
  name: string,
  options: TaskSpanOptions,
  body: (span: TaskSpan) => T | Promise<T>,
): Promise<T>
export async function taskSpan<T>(
  name: string,
  optionsOrBody: TaskSpanOptions | ((span: TaskSpan) => T | Promise<T>),
  maybeBody?: (span: TaskSpan) => T | Promise<T>,
): Promise<T> {
  const body = typeof optionsOrBody === 'function' ? optionsOrBody : maybeBody
  const options = typeof optionsOrBody === 'function' ? {} : (optionsOrBody ?? {})
  if (typeof name !== 'string') throw new TypeError(`strikes: taskSpan needs a name, got ${typeof name}`)
  if (typeof body !== 'function') throw new TypeError(`strikes: taskSpan "${name}" needs a function to run`)
  const label = deriveLabel(name, options.label, `taskSpan "${name}"`)
  const { span, frame } = startSpan<T>({
    name,
    label,
    kind: 'span',
    tags: options.tags,
    attributes: options.attributes,
  })
  return runInFrame(frame, async () => {
    let result: T
    try {
      result = await body(span)
    } catch (thrown) {
      const error = toError(thrown, `taskSpan "${name}"`)
      span.fail(error)
      throw error
    }
    span.succeed(result)
    return result
  })
}
