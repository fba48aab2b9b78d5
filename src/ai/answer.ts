/**
 * Reading the answer of a model call — text, tool calls, usage, finish reason — from a generate result or
 * from the parts of a stream as they pass.
 */

import type { GenerateResult, StreamPart } from './language-model.js'
import type { CallOutcome } from './model-call.js'

/** The outcome of a non-streaming call. */
export function generateOutcome(result: GenerateResult): CallOutcome {
  let text = ''
  const toolCalls: ToolCall[] = []
  for (const part of result.content) {
    if (part.type === 'text') text += part.text
    else if (part.type === 'tool-call')
      toolCalls.push({ toolCallId: part.toolCallId, toolName: part.toolName, input: parseInput(part.input) })
  }
  return {
    usage: result.usage,
    finishReason: result.finishReason,
    responseId: result.response?.id,
    responseModel: result.response?.modelId,
    text,
    toolCalls,
  }
}

type ToolCall = CallOutcome['toolCalls'][number]

/** A tool call's input: the provider sends JSON text; kept parsed when it parses. */
function parseInput(input: string): unknown {
  try {
    return JSON.parse(input)
  } catch {
    return input
  }
}

/** True for the error of a chunk the provider could not parse (bad JSON, or JSON of the wrong shape). */
function isMalformedChunk(error: unknown): boolean {
  const name = (error as { name?: unknown } | undefined)?.name
  return name === 'AI_JSONParseError' || name === 'AI_TypeValidationError'
}

/** Collects the outcome of a streaming call part by part. */
export class StreamAnswer {
  #text = ''
  readonly #toolCalls: ToolCall[] = []
  #content = false
  #usage: CallOutcome['usage']
  #finishReason: CallOutcome['finishReason']
  #responseId: string | undefined
  #responseModel: string | undefined
  /** The first `error` part that fails the call, if any. */
  error: unknown
  /** A malformed chunk that no content followed (yet): a warning when the stream then finishes. */
  malformed: unknown
  /** True once a `finish` part arrived. */
  finished = false

  /** True once text or a tool call arrived. */
  get hasContent(): boolean {
    return this.#content
  }

  /**
   * Takes one part; returns true when it carries content (text, reasoning, a tool call, a file, a source).
   */
  add(part: StreamPart): boolean {
    const content = this.#take(part)
    if (content && this.malformed !== undefined) {
      // Content after a malformed chunk: the answer has a hole, so the malformed chunk fails the call.
      this.error ??= this.malformed
      this.malformed = undefined
    }
    return content
  }

  #take(part: StreamPart): boolean {
    switch (part.type) {
      case 'text-delta':
        this.#text += part.delta
        this.#content = true
        return true
      case 'tool-call':
        this.#toolCalls.push({
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: parseInput(part.input),
        })
        this.#content = true
        return true
      case 'response-metadata':
        this.#responseId = part.id ?? this.#responseId
        this.#responseModel = part.modelId ?? this.#responseModel
        return false
      case 'finish':
        this.#usage = part.usage
        this.#finishReason = part.finishReason
        this.finished = true
        return false
      case 'error':
        if (isMalformedChunk(part.error)) this.malformed ??= part.error
        else this.error ??= part.error ?? new Error('the model stream reported an error')
        return false
      case 'stream-start':
      case 'raw':
      case 'text-start':
      case 'text-end':
        return false
      default:
        return true
    }
  }

  /** What the stream produced so far. */
  outcome(): CallOutcome {
    return {
      usage: this.#usage,
      finishReason: this.#finishReason,
      responseId: this.#responseId,
      responseModel: this.#responseModel,
      text: this.#text,
      toolCalls: this.#toolCalls,
    }
  }
}
