/**
 * OpenTelemetry GenAI semantic-convention attributes of a model call span (`gen_ai.*`), plus the
 * strikes-specific ones (`strikes.cache.*`, `strikes.ai.*`).
 */
import type { AttributeValue } from '../metrics.js'
import type { ModelEndpoint } from './endpoint.js'
import type { CallOptions, LanguageModelV3 } from './language-model.js'

/** Attribute names set on model call spans. */
export const AI_ATTR = {
  operation: 'gen_ai.operation.name',
  /** Older name of `gen_ai.provider.name`, still read by many backends. */
  system: 'gen_ai.system',
  provider: 'gen_ai.provider.name',
  requestModel: 'gen_ai.request.model',
  temperature: 'gen_ai.request.temperature',
  maxTokens: 'gen_ai.request.max_tokens',
  topP: 'gen_ai.request.top_p',
  topK: 'gen_ai.request.top_k',
  stopSequences: 'gen_ai.request.stop_sequences',
  frequencyPenalty: 'gen_ai.request.frequency_penalty',
  presencePenalty: 'gen_ai.request.presence_penalty',
  seed: 'gen_ai.request.seed',
  responseId: 'gen_ai.response.id',
  responseModel: 'gen_ai.response.model',
  finishReasons: 'gen_ai.response.finish_reasons',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  /** Host and port the requests go to. */
  serverAddress: 'server.address',
  serverPort: 'server.port',
  /**
   * The class of error a failed call ended with: the HTTP status code when there is one, else the error's
   * name.
   */
  errorType: 'error.type',
  httpStatus: 'http.response.status_code',
  /** The scorer a call was made for (an `llmJudge`): its tokens and cost are scoring. */
  scorer: 'strikes.scorer',
  /** A problem that did not fail the call (a malformed chunk after the complete answer). */
  streamWarning: 'strikes.ai.stream_warning',
  /**
   * The AI SDK provider id as the model reports it (`openai.chat`); `gen_ai.provider.name` is its first part.
   */
  sdkProvider: 'strikes.ai.provider',
  /** `generate` or `stream`. */
  mode: 'strikes.ai.mode',
  /** Milliseconds the call took (the provider's time; near 0 for a cache hit). */
  latencyMs: 'strikes.ai.latency_ms',
  /** Milliseconds until the first streamed content part. */
  timeToFirstChunkMs: 'strikes.ai.time_to_first_chunk_ms',
  costUsd: 'strikes.ai.cost_usd',
  /** True when the response came from the response cache (set only when the cache is on). */
  cacheHit: 'strikes.cache.hit',
  /** The response cache key (a SHA-256 hex digest). */
  cacheKey: 'strikes.cache.key',
} as const

/** The `gen_ai.provider.name` of an AI SDK provider id: `openai.chat` → `openai`. */
export function providerName(sdkProvider: string): string {
  const dot = sdkProvider.indexOf('.')
  return dot > 0 ? sdkProvider.slice(0, dot) : sdkProvider
}

/** Attributes known when a call starts: operation, provider, model and request settings. */
export function requestAttributes(
  model: LanguageModelV3,
  params: CallOptions,
  mode: 'generate' | 'stream',
  endpoint: ModelEndpoint | undefined,
): Record<string, AttributeValue> {
  const provider = providerName(model.provider)
  const attributes: Record<string, AttributeValue> = {
    [AI_ATTR.operation]: 'chat',
    [AI_ATTR.system]: provider,
    [AI_ATTR.provider]: provider,
    [AI_ATTR.sdkProvider]: model.provider,
    [AI_ATTR.requestModel]: model.modelId,
    [AI_ATTR.mode]: mode,
  }
  const numbers: [string, number | undefined][] = [
    [AI_ATTR.temperature, params.temperature],
    [AI_ATTR.maxTokens, params.maxOutputTokens],
    [AI_ATTR.topP, params.topP],
    [AI_ATTR.topK, params.topK],
    [AI_ATTR.frequencyPenalty, params.frequencyPenalty],
    [AI_ATTR.presencePenalty, params.presencePenalty],
    [AI_ATTR.seed, params.seed],
  ]
  for (const [key, value] of numbers)
    if (typeof value === 'number' && Number.isFinite(value)) attributes[key] = value
  if (params.stopSequences !== undefined && params.stopSequences.length > 0) {
    attributes[AI_ATTR.stopSequences] = [...params.stopSequences]
  }
  if (endpoint !== undefined) {
    attributes[AI_ATTR.serverAddress] = endpoint.address
    if (endpoint.port !== undefined) attributes[AI_ATTR.serverPort] = endpoint.port
  }
  return attributes
}

/** `error.type` (and the HTTP status, when the provider reported one) of a failed call. */
export function errorAttributes(thrown: unknown): Record<string, AttributeValue> {
  const status = (thrown as { statusCode?: unknown } | undefined)?.statusCode
  if (typeof status === 'number' && Number.isInteger(status))
    return { [AI_ATTR.errorType]: String(status), [AI_ATTR.httpStatus]: status }
  const name = (thrown as { name?: unknown } | undefined)?.name
  return { [AI_ATTR.errorType]: typeof name === 'string' && name !== '' ? name : 'Error' }
}
