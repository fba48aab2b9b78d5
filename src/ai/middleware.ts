/**
 * `strikesMiddleware(options)`: an AI SDK language-model middleware that records every model call —
 * generate and stream — as a span under the calling task, logs its tokens and cost on that task, and
 * optionally answers repeated calls from the response cache.
 */
import type { LanguageModelMiddleware } from 'ai'
import { runInFrame } from '../current.js'
import { describeThrown } from '../serialise.js'
import { generateOutcome } from './answer.js'
import { resolveCacheDir } from './cache-location.js'
import { type ModelEndpoint, modelEndpoint } from './endpoint.js'
import type { CallOptions, GenerateResult, LanguageModelV3, StreamPart } from './language-model.js'
import { ModelCall } from './model-call.js'
import {
  cacheDisabledByEnv,
  type ModelOptions,
  type ResolvedModelOptions,
  resolveModelOptions,
} from './model-options.js'
import { occurrencesOf } from './request-occurrences.js'
import {
  type CachedResponse,
  cacheableGenerate,
  entryKey,
  ResponseCache,
  requestKey,
} from './response-cache.js'
import { recordStream, replay } from './stream-recording.js'

/** The cache entry of one call: its answer when cached, else this call's claim to compute it. */
interface CacheSlot {
  readonly cache: ResponseCache
  readonly key: string
  /** The cached answer (from an earlier call, or from a concurrent one this call waited for). */
  readonly cached: CachedResponse | undefined
  /** Gives up the claim and, when the call failed, its occurrence number. */
  release(failed: boolean): void
}

/**
 * A language-model middleware that records each call as a span (GenAI attributes, prompt, answer) under
 * the calling task, logs `input_tokens`, `output_tokens` and, with `pricing`, `cost_usd` on that task, and
 * with `cache: true` answers repeated calls from the response cache. Use it with `wrapLanguageModel`, or
 * call `wrapModel`.
 */
export function strikesMiddleware(options: ModelOptions = {}): LanguageModelMiddleware {
  const resolved = resolveModelOptions(options, 'strikesMiddleware')
  return createMiddleware(resolved)
}

/** @internal The middleware of already validated options. */
export function createMiddleware(options: ResolvedModelOptions): LanguageModelMiddleware {
  let cache: Promise<ResponseCache> | undefined
  const warned = new Set<string>()
  /**
   * Failures of stream attempts, by prompt: a retry of the same call (same prompt) that succeeds withdraws
   * them.
   */
  const failedAttempts = new WeakMap<object, Error[]>()

  /**
   * Opens the cache entry of a call when the cache is on: a hit, or a claim (waiting while another call
   * computes it).
   */
  const openSlot = async (
    call: ModelCall,
    model: LanguageModelV3,
    params: CallOptions,
    mode: 'generate' | 'stream',
    endpoint: ModelEndpoint | undefined,
  ): Promise<CacheSlot | undefined> => {
    if (!options.cache || cacheDisabledByEnv()) return undefined
    cache ??= resolveCacheDir(options.cacheDir).then((dir) => new ResponseCache(dir))
    const folder = await cache
    const request = requestKey({ model, params, mode, trial: call.trial, endpoint: endpoint?.url })
    const occurrences = occurrencesOf(call.occurrenceScope)
    const occurrence = occurrences.take(request)
    const key = entryKey(request, occurrence)
    let claimed: CachedResponse | 'claimed'
    try {
      claimed = await folder.claim(key, params.abortSignal)
    } catch (error) {
      occurrences.release(request, occurrence)
      throw error
    }
    const cached = claimed === 'claimed' ? undefined : claimed
    call.markCache(key, cached?.kind === mode)
    return {
      cache: folder,
      key,
      cached: cached?.kind === mode ? cached : undefined,
      release: (failed) => {
        if (failed) occurrences.release(request, occurrence)
        if (claimed === 'claimed') folder.release(key).catch(() => undefined)
      },
    }
  }

  /**
   * Stores an answer unless one is there; returns the answer that stays (a cache that cannot be written is
   * reported once).
   */
  const store = async (
    slot: CacheSlot,
    response: CachedResponse,
    model: LanguageModelV3,
    endpoint: ModelEndpoint | undefined,
  ): Promise<CachedResponse> => {
    try {
      const about = { provider: model.provider, model: model.modelId, endpoint: endpoint?.url ?? null }
      return await slot.cache.create(slot.key, response, about)
    } catch (error) {
      if (!warned.has(slot.cache.dir)) {
        warned.add(slot.cache.dir)
        console.warn(
          `strikes/ai: could not write the response cache in ${slot.cache.dir}: ${describeThrown(error)}; ` +
            'calls still work but are not cached (check the folder is writable, or set cacheDir)',
        )
      }
      return response
    }
  }

  return {
    specificationVersion: 'v3',

    wrapGenerate: async ({ doGenerate, params, model }) => {
      const endpoint = modelEndpoint(model, options.endpoint)
      const call = new ModelCall(model, params, 'generate', options, endpoint)
      let slot: CacheSlot | undefined
      try {
        slot = await openSlot(call, model, params, 'generate', endpoint)
        if (slot?.cached?.kind === 'generate') {
          call.succeed(generateOutcome(slot.cached.result))
          return slot.cached.result
        }
        const result = await runInFrame(call.frame, doGenerate)
        let answer: GenerateResult = result
        if (slot !== undefined) {
          // The first answer for a key wins: a concurrent call that stored first gives its answer to this
          // one.
          const stored = cacheableGenerate(result)
          const kept = await store(slot, stored, model, endpoint)
          if (kept !== stored && kept.kind === 'generate') answer = kept.result
          slot.release(false)
        }
        call.succeed(generateOutcome(answer))
        return answer
      } catch (error) {
        slot?.release(true)
        call.fail(error)
        throw error
      }
    },

    wrapStream: async ({ doStream, params, model }) => {
      const endpoint = modelEndpoint(model, options.endpoint)
      const call = new ModelCall(model, params, 'stream', options, endpoint)
      let slot: CacheSlot | undefined
      const withdraw = (): void => {
        for (const failed of failedAttempts.get(params.prompt) ?? []) call.caller?.failWhenDone(failed, true)
        failedAttempts.delete(params.prompt)
      }
      try {
        slot = await openSlot(call, model, params, 'stream', endpoint)
        const cached = slot?.cached
        if (cached?.kind === 'stream')
          return { stream: recordStream(replay(cached.parts), call, { onSuccess: withdraw }) }
        const result = await runInFrame(call.frame, doStream)
        const done = slot
        let failed = true
        const stream = recordStream(result.stream, call, {
          onComplete:
            done === undefined
              ? undefined
              : async (parts: StreamPart[]) => {
                  await store(done, { kind: 'stream', parts }, model, endpoint)
                },
          onSuccess: () => {
            failed = false
            withdraw()
          },
          onEnd: () => done?.release(failed),
        })
        return { ...result, stream }
      } catch (error) {
        slot?.release(true)
        // The AI SDK turns this into an error part (after its retries): the task must still learn of it.
        call.fail(error, undefined, true)
        const recorded = call.span.error
        if (recorded !== undefined)
          failedAttempts.set(params.prompt, [...(failedAttempts.get(params.prompt) ?? []), recorded])
        throw error
      }
    },
  }
}
