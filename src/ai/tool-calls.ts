/**
 * Tool executions as spans: `wrapTools(tools)` makes each execution of an AI SDK tool a child span of the
 * model step that asked for it (`execute_tool <name>`, the GenAI `execute_tool` operation) with the
 * arguments as input, the result as output, and the error when it throws. The model call remembers the
 * ids of the tool calls it answered with, so the execution finds its parent by `toolCallId`.
 */
import { activeFrame, runInFrame } from '../current.js'
import { toError } from '../errors.js'
import type { Frame } from '../frame.js'
import { deriveLabel } from '../labels.js'
import { canonicalJson } from '../serialise.js'
import { startSpan } from '../span-lifecycle.js'

/** Tool calls answered by model calls and not yet executed, by id (oldest first, bounded). */
const parents = new Map<string, Frame>()
const MAX_REMEMBERED = 10_000

/** Notes the tool calls a model call answered with, so their executions become its children. */
export function rememberToolCalls(calls: readonly { toolCallId?: string }[], frame: Frame): void {
  for (const call of calls) {
    if (call.toolCallId === undefined) continue
    parents.set(call.toolCallId, frame)
    if (parents.size > MAX_REMEMBERED) parents.delete(parents.keys().next().value as string)
  }
}

/** What `execute` receives besides the input (the AI SDK's tool call options). */
interface ToolCallOptions {
  readonly toolCallId?: string
}

/** An AI SDK tool, as far as strikes reads it. */
interface ToolLike {
  execute?: (input: never, options: never) => unknown
}

/**
 * Wraps the `execute` of each tool so every execution is a span (`execute_tool <name>`) under the model
 * step that asked for it, with `gen_ai.tool.*` attributes, the arguments as input and the result (or the
 * error) as output. Tools without `execute` are returned as they are.
 */
export function wrapTools<T extends Record<string, ToolLike>>(tools: T): T {
  const wrapped: Record<string, ToolLike> = {}
  for (const [name, tool] of Object.entries(tools)) {
    const execute = tool.execute as ((input: unknown, options: ToolCallOptions) => unknown) | undefined
    wrapped[name] =
      typeof execute !== 'function'
        ? tool
        : {
            ...tool,
            execute: (input: unknown, options: ToolCallOptions) => executeTool(name, execute, input, options),
          }
  }
  return wrapped as T
}

function executeTool(
  name: string,
  execute: (input: unknown, options: ToolCallOptions) => unknown,
  input: unknown,
  options: ToolCallOptions,
): unknown {
  const id = options?.toolCallId
  const parent = (id === undefined ? undefined : parents.get(id)) ?? activeFrame()
  if (id !== undefined) parents.delete(id)
  const spanName = `execute_tool ${name}`
  const attributes: Record<string, string> = {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': name,
    'gen_ai.tool.type': 'function',
  }
  if (id !== undefined) attributes['gen_ai.tool.call.id'] = id
  const { span, frame } = startSpan<unknown>({
    name: spanName,
    label: deriveLabel(spanName, undefined, `the tool "${name}"`),
    kind: 'span',
    attributes,
    parent,
  })
  span.logInput('arguments', input)
  span.setExportContent(() => {
    const content: Record<string, string> = { 'gen_ai.tool.call.arguments': canonicalJson(input) }
    if ('output' in span.outputs) content['gen_ai.tool.call.result'] = canonicalJson(span.outputs.output)
    return content
  })
  const succeed = (result: unknown): unknown => {
    span.logOutput('output', result)
    span.succeed(result)
    return result
  }
  const fail = (thrown: unknown): never => {
    span.setAttribute(
      'error.type',
      (thrown as { name?: unknown })?.name === undefined
        ? 'Error'
        : String((thrown as { name: unknown }).name),
    )
    span.fail(toError(thrown, `tool "${name}"`))
    throw thrown
  }
  try {
    const result = runInFrame(frame, () => execute(input, options))
    if (isAsyncIterable(result)) return recordIterable(result, succeed, fail)
    if (result instanceof Promise) return result.then(succeed, fail)
    return succeed(result)
  } catch (thrown) {
    return fail(thrown)
  }
}

/** Passes a tool's streamed results through; the span ends with the last one. */
async function* recordIterable(
  source: AsyncIterable<unknown>,
  succeed: (result: unknown) => unknown,
  fail: (thrown: unknown) => never,
): AsyncGenerator<unknown> {
  let last: unknown
  try {
    for await (const value of source) {
      last = value
      yield value
    }
  } catch (thrown) {
    fail(thrown)
  }
  succeed(last)
}

function isAsyncIterable(value: unknown): value is AsyncIterable<unknown> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value
}
