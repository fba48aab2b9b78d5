/**
 * The recording of one model call: a strikes span (kind `span`) under the calling task with GenAI
 * attributes, the prompt and answer as its input and output, and token and cost metrics logged on the
 * calling task.
 */
import { activeFrame, activeRun, currentTrial, innermostSpan, runInFrame } from '../current.js'
import { toError } from '../errors.js'
import type { Frame } from '../frame.js'
import { deriveLabel } from '../labels.js'
import { logMetric } from '../logging.js'
import { runtime } from '../runtime.js'
import { ATTR } from '../span-attributes.js'
import { startSpan } from '../span-lifecycle.js'
import type { TaskSpan } from '../task-span.js'
import { AI_ATTR, requestAttributes } from './gen-ai-attributes.js'
import type { CallOptions, FinishReason, LanguageModelV3, Usage } from './language-model.js'
import type { ResolvedModelOptions } from './model-options.js'
import { costUsd, tokenCounts } from './usage.js'

/** What a finished call produced. */
export interface CallOutcome {
  readonly usage: Usage | undefined
  readonly finishReason: FinishReason | undefined
  readonly responseId: string | undefined
  readonly responseModel: string | undefined
  /** The answer's text (text parts joined). */
  readonly text: string
  /** Tool calls the model asked for. */
  readonly toolCalls: readonly unknown[]
}

/** One model call being recorded. */
export class ModelCall {
  /** The call's span. */
  readonly span: TaskSpan<string>
  /** The frame in which the call's span is the parent (the provider runs in it). */
  readonly frame: Frame
  /** The caller's task (or `taskSpan`), if any: where token metrics go. */
  readonly caller: TaskSpan | undefined
  /** Trial index of the calling `many`/count-form call. */
  readonly trial: number | undefined
  readonly #callerFrame: Frame
  readonly #options: ResolvedModelOptions
  readonly #startedAt = performance.now()
  #firstChunkAt: number | undefined

  /** Starts the span of a call under the active context (the caller's). */
  constructor(
    model: LanguageModelV3,
    params: CallOptions,
    mode: 'generate' | 'stream',
    options: ResolvedModelOptions,
  ) {
    this.#options = options
    this.#callerFrame = activeFrame()
    this.caller = innermostSpan()
    this.trial = currentTrial()
    const name = options.name ?? `chat ${model.modelId}`
    const started = startSpan<string>({
      name,
      label: deriveLabel(name, options.label, `the model call "${name}"`),
      kind: 'span',
      attributes: requestAttributes(model, params, mode),
      trial: this.trial,
    })
    this.span = started.span
    this.frame = started.frame
    if (this.#logsContent()) {
      this.span.logInput('prompt', params.prompt)
      const { prompt: _prompt, abortSignal: _signal, headers: _headers, ...settings } = params
      if (Object.values(settings).some((value) => value !== undefined))
        this.span.logInput('settings', settings)
    }
  }

  /** The scope that numbers identical requests: the calling task, else the run, else the process. */
  get occurrenceScope(): object {
    return this.caller ?? activeRun() ?? runtime
  }

  /** Marks the call as answered from the cache (or not) under `key`. */
  markCache(key: string, hit: boolean): void {
    this.span.setAttribute(AI_ATTR.cacheKey, key)
    this.span.setAttribute(AI_ATTR.cacheHit, hit)
  }

  /** Notes the arrival of a streamed content part (for the time to first chunk). */
  noteChunk(): void {
    if (this.#firstChunkAt !== undefined) return
    this.#firstChunkAt = performance.now()
    this.span.setAttribute(AI_ATTR.timeToFirstChunkMs, this.#firstChunkAt - this.#startedAt)
  }

  /** Ends the span as succeeded and logs tokens (and cost) on the caller. */
  succeed(outcome: CallOutcome, cancelled = false): void {
    if (!this.span.open) return
    this.#record(outcome)
    if (cancelled) this.span.setAttribute(ATTR.cancelled, true)
    this.span.succeed(outcome.text)
  }

  /** Ends the span as failed (what usage arrived before the failure is still recorded). */
  fail(thrown: unknown, outcome?: CallOutcome): void {
    if (!this.span.open) return
    if (outcome !== undefined) this.#record(outcome)
    else this.span.setAttribute(AI_ATTR.latencyMs, performance.now() - this.#startedAt)
    this.span.fail(toError(thrown, `model call "${this.span.name}"`))
  }

  #record(outcome: CallOutcome): void {
    const span = this.span
    span.setAttribute(AI_ATTR.latencyMs, performance.now() - this.#startedAt)
    if (outcome.finishReason !== undefined)
      span.setAttribute(AI_ATTR.finishReasons, [outcome.finishReason.unified])
    if (outcome.responseId !== undefined) span.setAttribute(AI_ATTR.responseId, outcome.responseId)
    if (outcome.responseModel !== undefined) span.setAttribute(AI_ATTR.responseModel, outcome.responseModel)
    const tokens = tokenCounts(outcome.usage)
    if (tokens.inputTokens !== undefined) span.setAttribute(AI_ATTR.inputTokens, tokens.inputTokens)
    if (tokens.outputTokens !== undefined) span.setAttribute(AI_ATTR.outputTokens, tokens.outputTokens)
    if (tokens.cachedInputTokens !== undefined)
      span.setAttribute(AI_ATTR.cacheReadInputTokens, tokens.cachedInputTokens)
    const cost = this.#options.pricing === undefined ? undefined : costUsd(tokens, this.#options.pricing)
    if (cost !== undefined) span.setAttribute(AI_ATTR.costUsd, cost)
    if (this.#logsContent()) {
      span.logOutput('output', outcome.text)
      if (outcome.toolCalls.length > 0) span.logOutput('tool_calls', outcome.toolCalls)
    }
    if (!this.#options.logMetrics) return
    runInFrame(this.#callerFrame, () => {
      if (tokens.inputTokens !== undefined) logMetric('input_tokens', tokens.inputTokens)
      if (tokens.outputTokens !== undefined) logMetric('output_tokens', tokens.outputTokens)
      if (cost !== undefined) logMetric('cost_usd', cost)
    })
  }

  #logsContent(): boolean {
    return this.#options.logContent ?? (activeRun()?.settings ?? runtime.settings).autolog
  }
}
