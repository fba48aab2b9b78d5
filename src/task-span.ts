/**
 * `TaskSpan`: the record of one task call, `taskSpan` block or test case — timing, inputs, outputs,
 * metrics, failure and children. When it ends it hands its own span record to its run's recorder (and,
 * while OTLP export is on, to the exporter).
 */
import { epochMicrosAt, epochMs, monotonicMs } from './clock.js'
import type { AttributeValue } from './metrics.js'
import { averageOf, checkMetric, type LogMetricOptions, type Metric, type MetricSource } from './metrics.js'
import { setEntry } from './own-entry.js'
import type { Run } from './run.js'
import { hashText } from './serialise.js'
import type { SpanKind, SpanRecord } from './shared/spool/format.js'
import { ATTR } from './span-attributes.js'
import type { ContentBuilder, SpanExport } from './span-export.js'
import type { TestScope } from './test-scope.js'

/** @internal How a span is created; see `span-lifecycle.ts`. */
export interface SpanInit {
  readonly name: string
  readonly label: string
  readonly kind: SpanKind
  readonly tags: string[]
  readonly spanId: string
  readonly traceId: string
  readonly attributes: Record<string, AttributeValue>
  readonly run: Run | undefined
  readonly parent: TaskSpan | undefined
  readonly test: TestScope | undefined
  readonly trial: number | undefined
  /** Monotonic-clock milliseconds at the start. */
  readonly startedAt: number
  readonly exporter: SpanExport | undefined
}

/** The record of one task call, `taskSpan` block or test case. */
export class TaskSpan<R = unknown> {
  readonly name: string
  /** Prefix of this span's metrics on the run (`<label>.<metric>`). */
  readonly label: string
  readonly kind: SpanKind
  readonly tags: string[]
  readonly spanId: string
  readonly traceId: string
  /** The run it was recorded in; `undefined` for a detached span. */
  readonly runId: string | undefined
  readonly parentId: string | undefined
  readonly startedAt: Date
  /** Logged inputs by name (the task's arguments when autologged). */
  readonly inputs: Record<string, unknown> = {}
  /** Logged outputs by name (the return value is `output` when autologged). */
  readonly outputs: Record<string, unknown> = {}
  /** Metric points by name. */
  readonly metrics: Record<string, Metric[]> = {}
  /** Tasks and spans started inside this one, in start order. */
  readonly children: TaskSpan[] = []
  #output: R | undefined
  #durationMs: number | undefined
  #failed = false
  #error: Error | undefined
  #open = true
  #outputHash: string | undefined
  /** `name=hash` of each recorded input, for the input key. */
  #inputHashes: string[] | undefined
  #inputKey: string | undefined
  #otelKind: 'internal' | 'client' = 'internal'
  #content: ContentBuilder | undefined
  /** A failure that surfaced outside the function (a model stream that errored): the call fails with it. */
  #deferredError: Error | undefined
  /** Ends the span its own way when it is cancelled (a model stream keeps what it received). */
  #onCancel: ((error: Error) => void) | undefined
  #endHooks: (() => void)[] | undefined
  readonly #attributes: Record<string, AttributeValue>
  readonly #startedAtMs: number
  readonly #run: Run | undefined
  readonly #test: TestScope | undefined
  readonly #trial: number | undefined
  readonly #exporter: SpanExport | undefined

  /** @internal Spans are created by tasks, `taskSpan` and the Vitest setup. */
  constructor(init: SpanInit) {
    this.name = init.name
    this.label = init.label
    this.kind = init.kind
    this.tags = init.tags
    this.spanId = init.spanId
    this.traceId = init.traceId
    this.#attributes = init.attributes
    this.#run = init.run
    this.runId = init.run?.id
    this.parentId = init.parent?.spanId
    this.#test = init.test
    this.#trial = init.trial
    this.#exporter = init.exporter
    this.#startedAtMs = init.startedAt
    this.startedAt = new Date(epochMicrosAt(init.startedAt) / 1000)
    init.test?.open.add(this)
    if (init.parent !== undefined && init.parent.kind !== 'test') init.parent.children.push(this)
  }

  /** The return value of the task (`undefined` until it succeeds). */
  get output(): R | undefined {
    return this.#output
  }

  /** Wall time in milliseconds (`undefined` while the span is open). */
  get durationMs(): number | undefined {
    return this.#durationMs
  }

  get failed(): boolean {
    return this.#failed
  }

  get error(): Error | undefined {
    return this.#error
  }

  /** False once the span has ended. */
  get open(): boolean {
    return this.#open
  }

  /** Every task below this span (children, their children, …), depth first, excluding itself. */
  get allTasks(): TaskSpan[] {
    const found: TaskSpan[] = []
    const visit = (span: TaskSpan): void => {
      for (const child of span.children) {
        if (child.kind === 'task') found.push(child)
        visit(child)
      }
    }
    visit(this)
    return found
  }

  /** Logs a named input of this span (stored as a content-addressed object when recording). */
  logInput(name: string, value: unknown): void {
    setEntry(this.inputs, name, value)
    const hash = this.#run?.recorder?.recordValue(this.spanId, 'input', name, value)
    if (hash === undefined) return
    if (this.#inputHashes === undefined) this.#inputHashes = [`${name}=${hash}`]
    else this.#inputHashes.push(`${name}=${hash}`)
  }

  /** Logs a named output of this span. */
  logOutput(name: string, value: unknown): void {
    setEntry(this.outputs, name, value)
    const hash = this.#run?.recorder?.recordValue(this.spanId, 'output', name, value)
    if (name === 'output') this.#outputHash = hash
  }

  /** @internal Hash of the stored `output` value, when it was recorded. */
  get outputHash(): string | undefined {
    return this.#outputHash
  }

  /**
   * Logs a metric on this span, mirrored on the run as `<label>.<name>` (or on the run unprefixed with
   * `to: 'run'`). Throws a `TypeError` naming the metric when the value is not a finite number or boolean.
   */
  logMetric(name: string, value: number | boolean, options: LogMetricOptions = {}): Metric | undefined {
    return this.recordMetric(name, value, options, 'log')
  }

  /** @internal Logs a metric with its source (`log`, `scorer`, `exec`). */
  recordMetric(
    name: string,
    value: unknown,
    options: LogMetricOptions,
    source: MetricSource,
    originHash?: string,
  ): Metric | undefined {
    const checked = checkMetric(name, value, options)
    const timestamp = epochMs()
    const run = this.#run
    if (options.to === 'run') {
      run?.addRunMetric(name, checked.value, checked.mode, checked.step, timestamp, this.spanId)
      return undefined
    }
    let attributes = options.attributes ?? {}
    const recorder = run?.recorder
    const origin =
      originHash ??
      (options.origin !== undefined && recorder ? recorder.recordObject(options.origin) : undefined)
    if (origin !== undefined) attributes = { ...attributes, origin_hash: origin }
    const metric: Metric = {
      name,
      value: checked.value,
      step: checked.step,
      timestamp,
      mode: checked.mode,
      source,
      attributes,
    }
    // Execution metrics describe the call, not its quality: kept out of `metrics` so they do not rank.
    if (source !== 'exec') {
      const list = Object.hasOwn(this.metrics, name) ? this.metrics[name] : undefined
      if (list === undefined) setEntry(this.metrics, name, [metric])
      else list.push(metric)
    }
    if (run !== undefined) {
      const mirror = run.aggregate(`${this.label}.${name}`, checked.value, checked.mode)
      recorder?.recordMetric(this.spanId, metric, mirror)
    }
    return metric
  }

  /** Mean of the values of metric `name`, or of all metrics when omitted; `undefined` when there are none. */
  averageMetric(name?: string): number | undefined {
    return averageOf(this.metrics, name)
  }

  /** Adds tags to this span. */
  addTags(tags: readonly string[]): void {
    for (const tag of tags) if (!this.tags.includes(tag)) this.tags.push(tag)
  }

  /** @internal Sets an attribute, kept in `spans.attributes` (and on the exported span). */
  setAttribute(key: string, value: AttributeValue): void {
    setEntry(this.#attributes, key, value)
  }

  /** @internal Sets the key that identifies this call's input (the task's `key` option). */
  setInputKey(key: string): void {
    this.#inputKey = key
  }

  /** @internal Marks the span as a call to another service (exported with span kind CLIENT). */
  markClient(): void {
    this.#otelKind = 'client'
  }

  /** @internal Builds content attributes of its own when the span is exported (only then). */
  setExportContent(content: ContentBuilder): void {
    this.#content = content
  }

  /**
   * @internal Makes the call fail with `error` when it would otherwise succeed (the first such error wins);
   * with `withdraw`, takes that error back (a retry of the failed work succeeded).
   */
  failWhenDone(error: Error, withdraw = false): void {
    if (withdraw) {
      if (this.#deferredError === error) this.#deferredError = undefined
    } else this.#deferredError ??= error
  }

  /** @internal Ends the span with `handler` instead of a failure when it is cancelled. */
  onCancel(handler: (error: Error) => void): void {
    this.#onCancel = handler
  }

  /** @internal Runs `hook` when the span ends (at once when it already has). */
  whenEnded(hook: () => void): void {
    if (!this.#open) {
      hook()
      return
    }
    if (this.#endHooks === undefined) this.#endHooks = [hook]
    else this.#endHooks.push(hook)
  }

  /** @internal Ends the span as succeeded with an output (or as failed, when a deferred failure is pending). */
  succeed(output: R): void {
    if (!this.#open) return
    if (this.#deferredError !== undefined) {
      this.fail(this.#deferredError)
      return
    }
    this.#output = output
    this.end(null)
  }

  /** @internal Ends the span as failed. */
  fail(error: Error): void {
    if (!this.#open) return
    // By name: the runner and the test file may load two copies of this module.
    const cancelled = error.name === 'TaskCancelledError'
    if (cancelled && this.#onCancel !== undefined) {
      const handler = this.#onCancel
      this.#onCancel = undefined
      handler(error)
      if (!this.#open) return
    }
    this.#failed = true
    this.#error = error
    const attributes = this.#attributes
    attributes['exception.type'] = error.name
    attributes['exception.message'] = error.message
    if (typeof error.stack === 'string') attributes['exception.stacktrace'] = error.stack
    if (cancelled) attributes[ATTR.cancelled] = true
    this.end(`${error.name}: ${error.message}`)
  }

  private end(error: string | null): void {
    const ended = monotonicMs()
    this.#open = false
    this.#test?.open.delete(this)
    const durationMs = ended - this.#startedAtMs
    this.#durationMs = durationMs
    const hooks = this.#endHooks
    if (hooks !== undefined) {
      this.#endHooks = undefined
      for (const hook of hooks) hook()
    }
    const recorder = this.#run?.recorder
    const exporter = this.#exporter
    if (recorder === undefined && exporter === undefined) return
    const record: SpanRecord = {
      span_id: this.spanId,
      trace_id: this.traceId,
      parent_id: this.parentId ?? null,
      kind: this.kind,
      name: this.name,
      label: this.label,
      tags: this.tags,
      status: error === null ? 'ok' : 'error',
      error,
      started_at: epochMicrosAt(this.#startedAtMs),
      duration_ms: durationMs,
      attributes: this.#attributes,
      input_key: this.#inputKey ?? this.#derivedInputKey(),
      trial: this.#trial ?? null,
    }
    recorder?.recordSpan(record)
    exporter?.onEnd({
      record,
      runId: this.runId,
      sessionId: this.#run?.sessionId,
      otelKind: this.#otelKind,
      endedAtMicros: epochMicrosAt(ended),
      inputs: this.inputs,
      outputs: this.outputs,
      metrics: this.metrics,
      content: this.#content,
    })
  }

  /** A hash of the label and the recorded inputs (names and content hashes), or null without inputs. */
  #derivedInputKey(): string | null {
    const hashes = this.#inputHashes
    if (hashes === undefined) return null
    return hashText(
      hashes.length === 1 ? `${this.label}\n${hashes[0]}` : `${this.label}\n${hashes.join('\n')}`,
    )
  }
}
