/**
 * `strikes/ai`: the Vercel AI SDK (`ai` v6) integration. `wrapModel(model)` (or `strikesMiddleware()` with
 * `wrapLanguageModel`) makes every model call a span under the calling task with OpenTelemetry GenAI
 * attributes, logs `input_tokens`, `output_tokens` and `cost_usd` on the task, and offers an opt-in
 * response cache beside the DuckDB file; `wrapTools(tools)` makes each tool execution a child span of the
 * model step that asked for it.
 */
export { AI_ATTR } from './gen-ai-attributes.js'
export type { CallOptions, LanguageModelV3, StreamPart, Usage } from './language-model.js'
export { strikesMiddleware } from './middleware.js'
export type { ModelOptions, ModelPricing } from './model-options.js'
export { wrapTools } from './tool-calls.js'
export { wrapModel } from './wrap-model.js'
