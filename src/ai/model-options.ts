/**
 * Options of `wrapModel` / `strikesMiddleware`, validated with zod so a wrong option fails at once with a
 * message naming it.
 */
import { z } from 'zod'

/** Prices of a model in US dollars per million tokens; with them each call logs `cost_usd`. */
export interface ModelPricing {
  /** USD per million input (prompt) tokens. */
  inputPerMillion: number
  /** USD per million output (completion) tokens. */
  outputPerMillion: number
  /** USD per million input tokens read from the provider's prompt cache; default: `inputPerMillion`. */
  cachedInputPerMillion?: number
}

/** Options of `wrapModel(model, options)` and `strikesMiddleware(options)`. */
export interface ModelOptions {
  /** Span name of each call; default `chat <model id>` (the OpenTelemetry GenAI convention). */
  name?: string
  /** Label of the call spans; default: derived from the name. */
  label?: string
  /** Prices per million tokens; when given, each call logs `cost_usd` on the calling task. */
  pricing?: ModelPricing
  /**
   * Log `input_tokens`, `output_tokens` (and `cost_usd`) on the calling task, mirrored on the run as
   * `<label>.input_tokens`, …; default true.
   */
  logMetrics?: boolean
  /**
   * Record the prompt and the response text as the call span's input and output; default: the run's autolog.
   */
  logContent?: boolean
  /**
   * Answer repeated calls from a response cache (opt-in; default false). The key is the provider, the
   * endpoint, the model, the prompt, the call settings and the trial index, so `task.many(5, …)` keeps five
   * distinct answers and two servers never share one.
   * `STRIKES_NO_CACHE=1` turns the cache off whatever this says.
   */
  cache?: boolean
  /**
   * The base URL the model's requests go to, when the provider does not expose it (`@ai-sdk/openai` and the
   * OpenAI-compatible providers do): part of the cache key and recorded as `server.address`/`server.port`.
   */
  endpoint?: string
  /**
   * Folder of the response cache; default under Vitest with the strikes reporter: `<db>.cache/` beside the
   * DuckDB file. Required elsewhere when `cache` is on.
   */
  cacheDir?: string
}

/** Options with defaults applied. */
export interface ResolvedModelOptions {
  readonly name: string | undefined
  readonly label: string | undefined
  readonly pricing: ModelPricing | undefined
  readonly logMetrics: boolean
  readonly logContent: boolean | undefined
  readonly cache: boolean
  readonly cacheDir: string | undefined
  readonly endpoint: string | undefined
}

const price = z.number().nonnegative().finite()

const optionsSchema = z
  .object({
    name: z.string().min(1).optional(),
    label: z.string().min(1).optional(),
    pricing: z
      .object({ inputPerMillion: price, outputPerMillion: price, cachedInputPerMillion: price.optional() })
      .strict()
      .optional(),
    logMetrics: z.boolean().optional(),
    logContent: z.boolean().optional(),
    cache: z.boolean().optional(),
    cacheDir: z.string().min(1).optional(),
    endpoint: z.string().min(1).optional(),
  })
  .strict()

/**
 * Validates model options and fills in defaults; throws a `TypeError` naming each wrong option and the
 * caller.
 */
export function resolveModelOptions(options: unknown, where: string): ResolvedModelOptions {
  const result = optionsSchema.safeParse(options ?? {})
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys')
        return `unknown option ${issue.keys.map((key) => `"${key}"`).join(', ')}`
      const path = issue.path.length === 0 ? 'options' : `option "${issue.path.map(String).join('.')}"`
      return `${path}: ${issue.message}`
    })
    throw new TypeError(`strikes/ai: invalid ${where} options: ${problems.join('; ')}`)
  }
  const given = result.data
  return {
    name: given.name,
    label: given.label,
    pricing: given.pricing,
    logMetrics: given.logMetrics ?? true,
    logContent: given.logContent,
    cache: given.cache ?? false,
    cacheDir: given.cacheDir,
    endpoint: given.endpoint,
  }
}

/** True when the environment turns the response cache off (`STRIKES_NO_CACHE=1` or `true`). */
export function cacheDisabledByEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.STRIKES_NO_CACHE?.trim().toLowerCase()
  return value !== undefined && value !== '' && value !== '0' && value !== 'false'
}
