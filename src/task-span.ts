/**
 * `TaskSpan`: the record of one task call, `taskSpan` block or test case — timing, inputs, outputs,
 * metrics, failure and children — backed by a real OpenTelemetry span.
 */
import { type Span as OtelSpan, SpanStatusCode } from '@opentelemetry/api'
import { hrTimeToMilliseconds } from '@opentelemetry/core'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import {
  averageOf,
  checkMetricMode,
  checkMetricName,
  checkMetricStep,
  type LogMetricOptions,
  type Metric,
  type MetricSource,
  toMetricValue,
} from './metrics.js'
import { setEntry } from './own-entry.js'
import type { SpanKind } from './record.js'
import type { Run } from './run.js'
import { ATTR } from './span-processor.js'

/** The set of spans still open under one test case, so they can be cancelled when it ends. */
export interface TestScope {
  readonly open: Set<TaskSpan>
  /** Set when the test (or the run) ended: tasks started afterwards are cancelled at once. */
  closed: boolean
}

/** @internal How a span is created; see `span-lifecycle.ts`. */
export interface SpanInit {
  readonly name: string
  readonly label: string
  readonly kind: SpanKind
  readonly tags: string[]
  readonly otel: OtelSpan
  readonly run: Run | undefined
  readonly parent: TaskSpan | undefined
  readonly test: TestScope | undefined
  readonly startedAt: number
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
  readonly #otel: OtelSpan
  readonly #run: Run | undefined
  readonly #test: TestScope | undefined

  /** @internal Spans are created by tasks, `taskSpan` and the Vitest setup. */
  constructor(init: SpanInit) {
    this.name = init.name
    this.label = init.label
    this.kind = init.kind
    this.tags = init.tags
    this.#otel = init.otel
    const spanContext = init.otel.spanContext()
    this.spanId = spanContext.spanId
    this.traceId = spanContext.traceId
    this.#run = init.run
    this.runId = init.run?.id
    this.parentId = init.parent?.spanId
    this.#test = init.test
    this.startedAt = new Date(init.startedAt)
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
    this.#run?.recorder?.recordValue(this.spanId, 'input', name, value)
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
    checkMetricName(name)
    const numeric = toMetricValue(name, value)
    const mode = checkMetricMode(name, options.mode)
    const step = checkMetricStep(name, options.step)
    const timestamp = Date.now()
    const run = this.#run
    if (options.to === 'run') {
      run?.addRunMetric(name, numeric, mode, step, timestamp, this.spanId)
      return undefined
    }
    let attributes = options.attributes ?? {}
    const recorder = run?.recorder
    const origin =
      originHash ??
      (options.origin !== undefined && recorder ? recorder.recordObject(options.origin) : undefined)
    if (origin !== undefined) attributes = { ...attributes, origin_hash: origin }
    const metric: Metric = { name, value: numeric, step, timestamp, mode, source, attributes }
    // Execution metrics describe the call, not its quality: kept out of `metrics` so they do not rank.
    if (source !== 'exec') {
      const list = Object.hasOwn(this.metrics, name) ? this.metrics[name] : undefined
      if (list === undefined) setEntry(this.metrics, name, [metric])
      else list.push(metric)
    }
    if (run !== undefined) {
      const mirror = run.aggregate(`${this.label}.${name}`, numeric, mode)
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
    this.#otel.setAttribute(ATTR.tags, this.tags)
  }

  /** @internal Ends the span as succeeded with an output. */
  succeed(output: R): void {
    if (!this.#open) return
    this.#output = output
    this.#otel.setStatus({ code: SpanStatusCode.OK })
    this.end()
  }

  /** @internal Ends the span as failed. */
  fail(error: Error): void {
    if (!this.#open) return
    this.#failed = true
    this.#error = error
    this.#otel.recordException(error)
    this.#otel.setStatus({ code: SpanStatusCode.ERROR, message: `${error.name}: ${error.message}` })
    // By name: the runner and the test file may load two copies of this module.
    if (error.name === 'TaskCancelledError') this.#otel.setAttribute(ATTR.cancelled, true)
    this.end()
  }

  private end(): void {
    this.#open = false
    this.#test?.open.delete(this)
    this.#otel.setAttribute(ATTR.tags, this.tags)
    this.#otel.end()
    this.#durationMs = hrTimeToMilliseconds((this.#otel as unknown as ReadableSpan).duration)
  }

  /** @internal Sets an attribute on the OpenTelemetry span. */
  setAttribute(key: string, value: string | number | boolean): void {
    this.#otel.setAttribute(key, value)
  }
}
