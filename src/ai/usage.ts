/**
 * Token counts and cost of one model call, from the usage the model reports and the user's prices.
 */
import type { Usage } from './language-model.js'
import type { ModelPricing } from './model-options.js'

/** The token counts strikes records; a count the provider did not report is `undefined`. */
export interface TokenCounts {
  readonly inputTokens: number | undefined
  readonly outputTokens: number | undefined
  /** Input tokens read from the provider's prompt cache (part of `inputTokens`). */
  readonly cachedInputTokens: number | undefined
}

/** Reads the token counts of a call's usage. */
export function tokenCounts(usage: Usage | undefined): TokenCounts {
  return {
    inputTokens: finite(usage?.inputTokens?.total),
    outputTokens: finite(usage?.outputTokens?.total),
    cachedInputTokens: finite(usage?.inputTokens?.cacheRead),
  }
}

/**
 * Cost in US dollars of a call at the given prices per million tokens; `undefined` when the provider
 * reported neither input nor output tokens. Cached input tokens are charged at `cachedInputPerMillion`
 * when it is given.
 */
export function costUsd(tokens: TokenCounts, pricing: ModelPricing): number | undefined {
  if (tokens.inputTokens === undefined && tokens.outputTokens === undefined) return undefined
  const input = tokens.inputTokens ?? 0
  const cached =
    pricing.cachedInputPerMillion === undefined ? 0 : Math.min(tokens.cachedInputTokens ?? 0, input)
  const dollars =
    (input - cached) * pricing.inputPerMillion +
    cached * (pricing.cachedInputPerMillion ?? 0) +
    (tokens.outputTokens ?? 0) * pricing.outputPerMillion
  return dollars / 1_000_000
}

function finite(value: number | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
