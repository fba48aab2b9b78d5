/**
 * Reading the answer of a model call — text, tool calls, usage, finish reason — from a generate result or
 * from the parts of a stream as they pass.
 */

import type { GenerateResult, StreamPart } from './language-model.js'
import type { CallOutcome } from './model-call.js'

/** The outcome of a non-streaming call. */
export function generateOutcome(result: GenerateResult): CallOutcome {
  let text = ''
  const toolCalls: unknown[] = []
  for (const part of result.content) {
    if (part.type === 'text') text += part.text
    else if (part.type === 'tool-call') toolCalls.push({ toolName: part.toolName, input: part.input })
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

/** Collects the outcome of a streaming call part by part. */
export class StreamAnswer {
  #text = ''
  readonly #toolCalls: unknown[] = []
  #usage: CallOutcome['usage']
  #finishReason: CallOutcome['finishReason']
  #responseId: string | undefined
  #responseModel: string | undefined
  /** The first `error` part, if any. */
  error: unknown
  /** True once a `finish` part arrived. */
  finished = false

  /** Takes one part; returns true when it carries content (text, reasoning, a tool call, a file, a source). */
  add(part: StreamPart): boolean {
    switch (part.type) {
      case 'text-delta':
        this.#text += part.delta
        return true
      case 'tool-call':
        this.#toolCalls.push({ toolName: part.toolName, input: part.input })
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
        if (this.error === undefined)
          this.error = part.error ?? new Error('the model stream reported an error')
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
