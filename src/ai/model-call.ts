/**
 * The recording of one model call: a strikes span (kind `span`, exported as a CLIENT span) under the
 * calling task with GenAI attributes, the prompt and answer as its input and output (and as GenAI/
 * OpenInference message attributes when exported), and token and cost metrics logged on the calling
 * task — or, for a call an `llmJudge` makes, on the task as that scorer's metrics (`<scorer>.cost_usd`).
 */
import { activeFrame, activeRun, currentTrial, innermostSpan, runInFrame } from '../current.js'
import { toError } from '../errors.js'
import type { Frame } from '../frame.js'
import { deriveLabel } from '../labels.js'
import { logMetric } from '../logging.js'
import type { AttributeValue } from '../metrics.js'
import { runtime } from '../runtime.js'
import { ATTR } from '../span-attributes.js'
import { startSpan } from '../span-lifecycle.js'
import type { TaskSpan } from '../task-span.js'
import type { ModelEndpoint } from './endpoint.js'
import { AI_ATTR, errorAttributes, requestAttributes } from './gen-ai-attributes.js'
import { modelCallContent } from './gen-ai-messages.js'
import type { CallOptions, FinishReason, LanguageModelV3, Usage } from './language-model.js'
import type { ResolvedModelOptions } from './model-options.js'
import { rememberToolCalls } from './tool-calls.js'
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
  readonly toolCalls: readonly { toolCallId?: string; toolName: string; input: unknown }[]
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
  /** The scorer on whose behalf the call is made (an `llmJudge`), if any. */
  readonly scorer: string | undefined
  readonly #callerFrame: Frame
  readonly #options: ResolvedModelOptions
  readonly #prompt: CallOptions['prompt']
  readonly #startedAt = performance.now()
  #firstChunkAt: number | undefined

  /** Starts the span of a call under the active context (the caller's). */
  constructor(
    model: LanguageModelV3,
    params: CallOptions,
    mode: 'generate' | 'stream',
    options: ResolvedModelOptions,
    endpoint: ModelEndpoint | undefined,
  ) {
    this.#options = options
    this.#prompt = params.prompt
    this.#callerFrame = activeFrame()
    this.caller = innermostSpan()
    this.trial = currentTrial()
    this.scorer = this.#callerFrame.scorer
    const name = options.name ?? `chat ${model.modelId}`
    const attributes = requestAttributes(model, params, mode, endpoint)
    if (this.scorer !== undefined) attributes[AI_ATTR.scorer] = this.scorer
    const started = startSpan<string>({
      name,
      label: deriveLabel(name, options.label, `the model call "${name}"`),
      kind: 'span',
      attributes,
      trial: this.trial,
    })
    this.span = started.span
    this.span.markClient()
    this.frame = started.frame
    if (this.#logsContent()) {
      this.span.logInput('prompt', params.prompt)
      const { prompt: _prompt, abortSignal: _signal, headers: _headers, ...settings } = params
      const set = Object.entries(settings).filter(([, value]) => value !== undefined)
      if (set.length > 0) this.span.logInput('settings', Object.fromEntries(set))
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

  /** Sets an attribute of the call's span. */
  note(key: string, value: AttributeValue): void {
    if (this.span.open) this.span.setAttribute(key, value)
  }

  /**
   * Ends the span as succeeded and logs tokens (and cost) on the caller; `cancelled` marks what was received
   * when the reader stopped.
   */
  succeed(outcome: CallOutcome, cancelled = false): void {
    if (!this.span.open) return
    this.#record(outcome)
    if (cancelled) this.span.setAttribute(ATTR.cancelled, true)
    this.span.succeed(outcome.text)
  }

  /**
   * Ends the span as failed (what usage arrived before the failure is still recorded). With `failCaller`
   * (a stream, whose errors the AI SDK keeps from the code reading it), the calling task fails with the
   * error when it returns, unless a retry of the same call succeeds first.
   */
  fail(thrown: unknown, outcome?: CallOutcome, failCaller = false): void {
    if (!this.span.open) return
    if (outcome !== undefined) this.#record(outcome)
    else this.span.setAttribute(AI_ATTR.latencyMs, performance.now() - this.#startedAt)
    for (const [key, value] of Object.entries(errorAttributes(thrown))) this.span.setAttribute(key, value)
    const error = toError(thrown, `model call "${this.span.name}"`)
    if (failCaller) this.caller?.failWhenDone(error)
    this.span.fail(error)
  }

  #record(outcome: CallOutcome): void {
    const span = this.span
    span.setAttribute(AI_ATTR.latencyMs, performance.now() - this.#startedAt)
    const finish = finishReasonOf(outcome.finishReason)
    if (finish !== undefined) span.setAttribute(AI_ATTR.finishReasons, [finish])
    if (outcome.responseId !== undefined) span.setAttribute(AI_ATTR.responseId, outcome.responseId)
    if (outcome.responseModel !== undefined) span.setAttribute(AI_ATTR.responseModel, outcome.responseModel)
    const tokens = tokenCounts(outcome.usage)
    if (tokens.inputTokens !== undefined) span.setAttribute(AI_ATTR.inputTokens, tokens.inputTokens)
    if (tokens.outputTokens !== undefined) span.setAttribute(AI_ATTR.outputTokens, tokens.outputTokens)
    if (tokens.cachedInputTokens !== undefined)
      span.setAttribute(AI_ATTR.cacheReadInputTokens, tokens.cachedInputTokens)
    const cost = this.#options.pricing === undefined ? undefined : costUsd(tokens, this.#options.pricing)
    if (cost !== undefined) span.setAttribute(AI_ATTR.costUsd, cost)
    rememberToolCalls(outcome.toolCalls, this.frame)
    if (this.#logsContent()) {
      span.logOutput('output', outcome.text)
      if (outcome.toolCalls.length > 0) span.logOutput('tool_calls', outcome.toolCalls)
      const prompt = this.#prompt
      const answer = { text: outcome.text, toolCalls: outcome.toolCalls, finishReason: finish }
      span.setExportContent(() => modelCallContent(prompt, answer))
    }
    if (!this.#options.logMetrics) return
    const metrics: [string, number | undefined][] = [
      ['input_tokens', tokens.inputTokens],
      ['output_tokens', tokens.outputTokens],
      ['cost_usd', cost],
    ]
    const scorer = this.scorer
    const caller = this.caller
    if (scorer !== undefined) {
      // Scoring, not the task's work: `<scorer>.<metric>` with source `scorer`, kept apart from the task's
      // own.
      if (caller === undefined) return
      for (const [name, value] of metrics)
        if (value !== undefined) caller.recordMetric(`${scorer}.${name}`, value, {}, 'scorer')
      return
    }
    runInFrame(this.#callerFrame, () => {
      for (const [name, value] of metrics) if (value !== undefined) logMetric(name, value)
    })
  }

  #logsContent(): boolean {
    return this.#options.logContent ?? (activeRun()?.settings ?? runtime.settings).autolog
  }
}

/** The provider's own finish reason (`stop`, `length`, `tool_calls`), else the AI SDK's. */
function finishReasonOf(reason: FinishReason | undefined): string | undefined {
  if (reason === undefined) return undefined
  return typeof reason.raw === 'string' && reason.raw !== '' ? reason.raw : reason.unified
}
