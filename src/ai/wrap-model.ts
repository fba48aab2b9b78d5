/**
 * `wrapModel(model, options)`: an AI SDK language model whose every call is recorded by strikes.
 */
import { wrapLanguageModel } from 'ai'
import type { LanguageModelV3 } from './language-model.js'
import { createMiddleware } from './middleware.js'
import { type ModelOptions, resolveModelOptions } from './model-options.js'

/**
 * Wraps an AI SDK v6 language model so each call (generate or stream) is a span under the calling task
 * with GenAI attributes, logs its tokens (and cost, given `pricing`) on that task, and — with
 * `cache: true` — is answered from the response cache when the same request was seen before.
 */
export function wrapModel(model: LanguageModelV3, options: ModelOptions = {}): LanguageModelV3 {
  if (
    typeof model !== 'object' ||
    model === null ||
    (model as { specificationVersion?: unknown }).specificationVersion !== 'v3'
  ) {
    const got =
      typeof model === 'string'
        ? `the string "${model}"`
        : typeof model === 'object' && model !== null
          ? 'a model of specification ' +
            String((model as { specificationVersion?: unknown }).specificationVersion)
          : String(model)
    throw new TypeError(
      `strikes/ai: wrapModel needs an AI SDK v6 language model object (specificationVersion "v3"), such as ` +
        `openai('gpt-4o-mini') from @ai-sdk/openai 3; got ${got}`,
    )
  }
  return wrapLanguageModel({ model, middleware: createMiddleware(resolveModelOptions(options, 'wrapModel')) })
}
