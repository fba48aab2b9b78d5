/**
 * `strikesMiddleware(options)`: an AI SDK language-model middleware that records every model call —
 * generate and stream — as a span under the calling task, logs its tokens and cost on that task, and
 * optionally answers repeated calls from the response cache.
 */
import type { LanguageModelMiddleware } from 'ai'
import { runInFrame } from '../current.js'
import { describeThrown } from '../serialise.js'
import { generateOutcome, StreamAnswer } from './answer.js'
import { resolveCacheDir } from './cache-location.js'
import type { CallOptions, LanguageModelV3, StreamPart } from './language-model.js'
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

/** A claimed cache entry of one call. */
interface CacheSlot {
  readonly cache: ResponseCache
  readonly key: string
  /** Gives the occurrence number back (the call failed, so the next identical call takes its place). */
  release(): void
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

  /** Claims the cache entry of a call, when the cache is on. */
  const claimSlot = async (
    call: ModelCall,
    model: LanguageModelV3,
    params: CallOptions,
    mode: 'generate' | 'stream',
  ): Promise<CacheSlot | undefined> => {
    if (!options.cache || cacheDisabledByEnv()) return undefined
    cache ??= resolveCacheDir(options.cacheDir).then((dir) => new ResponseCache(dir))
    const folder = await cache
    const request = requestKey({ model, params, mode, trial: call.trial })
    const occurrences = occurrencesOf(call.occurrenceScope)
    const occurrence = occurrences.take(request)
    return {
      cache: folder,
      key: entryKey(request, occurrence),
      release: () => occurrences.release(request, occurrence),
    }
  }

  /** Stores an answer; a cache that cannot be written is reported once and otherwise ignored. */
  const store = async (slot: CacheSlot, response: CachedResponse, model: LanguageModelV3): Promise<void> => {
    try {
      await slot.cache.write(slot.key, response, { provider: model.provider, model: model.modelId })
    } catch (error) {
      if (warned.has(slot.cache.dir)) return
      warned.add(slot.cache.dir)
      console.warn(
        `strikes/ai: could not write the response cache in ${slot.cache.dir}: ${describeThrown(error)}; ` +
          'calls still work but are not cached (check the folder is writable, or set cacheDir)',
      )
    }
  }

  return {
    specificationVersion: 'v3',

    wrapGenerate: async ({ doGenerate, params, model }) => {
      const call = new ModelCall(model, params, 'generate', options)
      let slot: CacheSlot | undefined
      try {
        slot = await claimSlot(call, model, params, 'generate')
        if (slot !== undefined) {
          const cached = await slot.cache.read(slot.key)
          call.markCache(slot.key, cached?.kind === 'generate')
          if (cached?.kind === 'generate') {
            call.succeed(generateOutcome(cached.result))
            return cached.result
          }
        }
        const result = await runInFrame(call.frame, doGenerate)
        if (slot !== undefined) await store(slot, cacheableGenerate(result), model)
        call.succeed(generateOutcome(result))
        return result
      } catch (error) {
        slot?.release()
        call.fail(error)
        throw error
      }
    },

    wrapStream: async ({ doStream, params, model }) => {
      const call = new ModelCall(model, params, 'stream', options)
      let slot: CacheSlot | undefined
      try {
        slot = await claimSlot(call, model, params, 'stream')
        if (slot !== undefined) {
          const cached = await slot.cache.read(slot.key)
          call.markCache(slot.key, cached?.kind === 'stream')
          if (cached?.kind === 'stream')
            return { stream: recordStream(replay(cached.parts), call, undefined) }
        }
        const result = await runInFrame(call.frame, doStream)
        const done = slot
        const onComplete =
          done === undefined
            ? undefined
            : (parts: StreamPart[]) => store(done, { kind: 'stream', parts }, model)
        return { ...result, stream: recordStream(result.stream, call, onComplete, slot) }
      } catch (error) {
        slot?.release()
        call.fail(error)
        throw error
      }
    },
  }
}

/**
 * Passes a model stream through unchanged while recording it: the span ends when the stream ends (failed
 * on an error part or a read error, marked cancelled when the reader cancels), and a complete answer
 * without errors is handed to `onComplete` (to be cached) before the stream closes.
 */
function recordStream(
  source: ReadableStream<StreamPart>,
  call: ModelCall,
  onComplete: ((parts: StreamPart[]) => Promise<void>) | undefined,
  slot?: CacheSlot,
): ReadableStream<StreamPart> {
  const reader = source.getReader()
  const answer = new StreamAnswer()
  const parts: StreamPart[] = []
  return new ReadableStream<StreamPart>({
    async pull(controller) {
      let next: Awaited<ReturnType<typeof reader.read>>
      try {
        next = await reader.read()
      } catch (error) {
        slot?.release()
        call.fail(error, answer.outcome())
        controller.error(error)
        return
      }
      if (next.done) {
        if (answer.error !== undefined) {
          slot?.release()
          call.fail(answer.error, answer.outcome())
        } else {
          if (onComplete !== undefined && answer.finished) await onComplete(parts)
          call.succeed(answer.outcome())
        }
        controller.close()
        return
      }
      const part = next.value
      if (answer.add(part)) call.noteChunk()
      if (onComplete !== undefined) parts.push(part)
      controller.enqueue(part)
    },
    async cancel(reason) {
      slot?.release()
      call.succeed(answer.outcome(), true)
      await reader.cancel(reason)
    },
  })
}

/** A stream of cached parts. */
function replay(parts: StreamPart[]): ReadableStream<StreamPart> {
  return new ReadableStream<StreamPart>({
    start(controller) {
      for (const part of parts) controller.enqueue(part)
      controller.close()
    },
  })
}
