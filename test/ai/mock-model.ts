/**
 * Mock language models for the AI SDK tests, built on the AI SDK's own `MockLanguageModelV3`: each call
 * answers `answer <n>` (n counts calls), with fixed usage, so tests can tell fresh answers from cached ones.
 */

import { MockLanguageModelV3, simulateReadableStream } from 'ai/test'
import type { LanguageModelV3, StreamPart } from '../../src/ai/index.js'

/** Usage every mock call reports: 12 input tokens (2 from the provider's cache), 5 output tokens. */
export const MOCK_USAGE = {
  inputTokens: { total: 12, noCache: 10, cacheRead: 2, cacheWrite: undefined },
  outputTokens: { total: 5, text: 5, reasoning: undefined },
}

/** A mock model and the number of calls that reached it. */
export interface CountingModel {
  readonly model: MockLanguageModelV3
  /** Calls that reached the model (cache hits do not). */
  readonly calls: () => number
}

/** A mock model answering `answer <n>` to generate and stream calls. */
export function countingModel(modelId = 'mock-model'): CountingModel {
  let count = 0
  const model = new MockLanguageModelV3({
    provider: 'mock.chat',
    modelId,
    doGenerate: async () => {
      count++
      return {
        content: [{ type: 'text', text: `answer ${count}` }],
        finishReason: { unified: 'stop', raw: 'stop' },
        usage: MOCK_USAGE,
        response: { id: `response-${count}`, modelId: `${modelId}-2026`, timestamp: new Date(0) },
        warnings: [],
      }
    },
    doStream: async () => {
      count++
      const parts: StreamPart[] = [
        { type: 'stream-start', warnings: [] },
        {
          type: 'response-metadata',
          id: `response-${count}`,
          modelId: `${modelId}-2026`,
          timestamp: new Date(0),
        },
        { type: 'text-start', id: 't' },
        { type: 'text-delta', id: 't', delta: 'answer ' },
        { type: 'text-delta', id: 't', delta: String(count) },
        { type: 'text-end', id: 't' },
        { type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage: MOCK_USAGE },
      ]
      return {
        stream: simulateReadableStream({ chunks: parts, initialDelayInMs: null, chunkDelayInMs: null }),
      }
    },
  })
  return { model, calls: () => count }
}

/** A mock model whose calls fail: generate rejects; stream reports an error part mid-way. */
export function failingModel(): LanguageModelV3 {
  return new MockLanguageModelV3({
    provider: 'mock.chat',
    modelId: 'broken-model',
    doGenerate: async () => {
      throw new Error('provider is down')
    },
    doStream: async () => ({
      stream: simulateReadableStream<StreamPart>({
        chunks: [
          { type: 'stream-start', warnings: [] },
          { type: 'text-start', id: 't' },
          { type: 'text-delta', id: 't', delta: 'partial' },
          { type: 'error', error: new Error('stream broke') },
        ],
        initialDelayInMs: null,
        chunkDelayInMs: null,
      }),
    }),
  })
}
