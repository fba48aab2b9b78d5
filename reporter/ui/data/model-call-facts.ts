/**
 * What a model call span tells about the call, read from its OpenTelemetry GenAI attributes (as `strikes/ai`
 * records them): the model and provider, tokens in and out, cost, latency, whether the response cache
 * answered, and why the model stopped.
 */

/** A model call's facts, read from its GenAI attributes. */
export interface ModelCallFacts {
  readonly model: string | undefined
  readonly provider: string | undefined
  readonly inputTokens: number | undefined
  readonly outputTokens: number | undefined
  readonly costUsd: number | undefined
  readonly latencyMs: number | undefined
  readonly cacheHit: boolean | undefined
  readonly finishReasons: string | undefined
}

/** The GenAI facts of a span's attributes, if it is a model call. */
export function modelFacts(attributes: string | null): ModelCallFacts | undefined {
  if (attributes === null || !attributes.includes('gen_ai.')) return undefined
  let parsed: Record<string, unknown>
  try {
    const value: unknown = JSON.parse(attributes)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    parsed = value as Record<string, unknown>
  } catch {
    return undefined
  }
  const text = (key: string) => (typeof parsed[key] === 'string' ? (parsed[key] as string) : undefined)
  const number = (key: string) =>
    typeof parsed[key] === 'number' && Number.isFinite(parsed[key]) ? (parsed[key] as number) : undefined
  const reasons = parsed['gen_ai.response.finish_reasons']
  return {
    model: text('gen_ai.response.model') ?? text('gen_ai.request.model'),
    provider: text('gen_ai.provider.name') ?? text('gen_ai.system'),
    inputTokens: number('gen_ai.usage.input_tokens'),
    outputTokens: number('gen_ai.usage.output_tokens'),
    costUsd: number('strikes.ai.cost_usd'),
    latencyMs: number('strikes.ai.latency_ms'),
    cacheHit:
      typeof parsed['strikes.cache.hit'] === 'boolean' ? (parsed['strikes.cache.hit'] as boolean) : undefined,
    finishReasons: Array.isArray(reasons) ? reasons.map(String).join(', ') : undefined,
  }
}
