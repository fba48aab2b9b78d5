/**
 * `evalTask`: wraps a function so that each call is a recorded task — a span with timing, inputs, output,
 * metrics and scores — and gives it the call forms of the reference SDK (`run`, `try`, `map`, `many`, …).
 */
import { context } from '@opentelemetry/api'
import { checkConcurrency, isItems, type MapOptions, runPool } from './batch.js'
import { ScoreAssertionError, TaskCancelledError, toError } from './errors.js'
import { cleanLabel, deriveLabel } from './labels.js'
import { inputNamesFor, readParameterNames } from './parameters.js'
import { knownSize, progressInterval, startProgress } from './progress.js'
import { activeRun } from './run.js'
import { runtime } from './runtime.js'
import { runScorer, type ScoreResult, type Scorer, type ScorerContext, toScorer } from './scorer.js'
import { describeThrown } from './serialise.js'
import type { RecordingSettings } from './settings.js'
import { endedScope, startSpan } from './span-lifecycle.js'
import { checkTaskOptions, type TaskOptions, type TaskWithOptions } from './task-options.js'
import type { TaskSpan } from './task-span.js'
import { TaskSpanList } from './task-span-list.js'

export type { MapOptions } from './batch.js'

/** Marks a dropped (failed) call in a batch's kept results. */
const DROPPED: unique symbol = Symbol('dropped')

/** The batch call forms: items (first argument each, or argument tuples with `spread`), or a count. */
export interface MapForm<A extends unknown[], Out> {
  /** Calls the task once per tuple, spreading it as the arguments. */
  (items: Iterable<A> | AsyncIterable<A>, options: MapOptions & { spread: true }): Promise<Out>
  /** Calls the task once per item, each item being the first argument. */
  (items: Iterable<A[0]> | AsyncIterable<A[0]>, options?: MapOptions): Promise<Out>
  /** The count form: calls the task `count` times with the same arguments (as `many`). */
  (count: number, ...args: A): Promise<Out>
}

/** A function wrapped by `evalTask`: call it like the function, or use one of its call forms. */
export interface Task<A extends unknown[], R> {
  /** Runs the task and returns its output; rejects with the task's error. */
  (...args: A): Promise<R>
  /** Human-readable name. */
  readonly taskName: string
  /** Metric prefix on the run. */
  readonly label: string
  /** The options the task was made with. */
  readonly options: Readonly<TaskOptions<A, R>>
  /** Runs the task and returns its span; rejects on failure. */
  run(...args: A): Promise<TaskSpan<R>>
  /** Runs the task and returns its span, failed or not; never rejects. */
  runAlways(...args: A): Promise<TaskSpan<R>>
  /** Runs the task; `undefined` on failure (the failure is recorded). */
  try(...args: A): Promise<R | undefined>
  /** Runs the task; its span, or `undefined` on failure. */
  tryRun(...args: A): Promise<TaskSpan<R> | undefined>
  /** Outputs in input order; rejects on the first failure and starts nothing more. */
  map: MapForm<A, R[]>
  /** Spans in input order; rejects on the first failure. */
  mapRun: MapForm<A, TaskSpanList<R>>
  /** Outputs of the successes in input order; failures are recorded and dropped. */
  tryMap: MapForm<A, R[]>
  /** Spans of the successes in input order. */
  tryMapRun: MapForm<A, TaskSpanList<R>>
  /** Outputs of `count` calls with the same arguments; rejects on the first failure. */
  many(count: number, ...args: A): Promise<R[]>
  /** Spans of `count` calls with the same arguments; rejects on the first failure. */
  manyRun(count: number, ...args: A): Promise<TaskSpanList<R>>
  /** Outputs of the successes of `count` calls. */
  tryMany(count: number, ...args: A): Promise<R[]>
  /** Spans of the successes of `count` calls. */
  tryManyRun(count: number, ...args: A): Promise<TaskSpanList<R>>
  /** Up to `attempts` calls one after another: the first successful output; rejects with the last error. */
  retry(attempts: number, ...args: A): Promise<R>
  /** Outputs of the best `n` of `count` calls (ranked by `rankBy`, else the average metric); failures dropped. */
  topN(count: number, n: number, ...args: A): Promise<R[]>
  /** Spans in completion order as calls finish; failed spans are yielded with `failed: true`. */
  streamMap(
    items: Iterable<A[0]> | AsyncIterable<A[0]> | Iterable<A> | AsyncIterable<A>,
    options?: MapOptions,
  ): AsyncGenerator<TaskSpan<R>, void, undefined>
  /** A new task with these options (`append: true` extends scorers, tags and attributes). */
  with(options: TaskWithOptions<A, R>): Task<A, R>
}

/** What one task is made of, resolved once at definition. */
interface TaskDefinition<A extends unknown[], R> {
  readonly name: string
  readonly label: string
  readonly fn: (...args: A) => R | Promise<R>
  readonly options: TaskOptions<A, R>
  readonly parameterNames: string[] | undefined
  readonly scorers: Scorer<R, A>[]
  /** The metric name of each scorer (its cleaned name), in order. */
  readonly scorerNames: readonly string[]
  readonly asserted: ReadonlySet<string> | undefined
  readonly tags: readonly string[]
}

/** Any function a task can wrap (typed as a whole, so parameter defaults and optionals keep their types). */
type TaskFunction = (...args: never[]) => unknown

/** The task type of a wrapped function: its parameters and awaited return type. */
type TaskOf<F extends TaskFunction> = Task<Parameters<F>, Awaited<ReturnType<F>>>

/** Wraps a function as a task; its name is the function's name. */
export function evalTask<F extends TaskFunction>(fn: F): TaskOf<F>
/**
 * Wraps a function as a task with options (name, label, scorers, logging, concurrency, …). Typed over the
 * whole function, so parameter defaults and optionals keep their types.
 */
export function evalTask<F extends TaskFunction>(
  options: TaskOptions<Parameters<NoInfer<F>>, Awaited<ReturnType<NoInfer<F>>>>,
  fn: F,
): TaskOf<F>
/**
 * Wraps a function as a task with options. This form is chosen when the options need the function's
 * types to be checked first (typed scorers, an `expected` hook written inline).
 */
export function evalTask<A extends unknown[], R>(
  options: TaskOptions<NoInfer<A>, NoInfer<Awaited<R>>>,
  fn: (...args: A) => R,
): Task<A, Awaited<R>>
export function evalTask<A extends unknown[], R>(
  optionsOrFn: TaskOptions<A, Awaited<R>> | ((...args: A) => R),
  maybeFn?: (...args: A) => R,
): Task<A, Awaited<R>> {
  const fn = typeof optionsOrFn === 'function' ? optionsOrFn : maybeFn
  const options = typeof optionsOrFn === 'function' ? {} : optionsOrFn
  if (typeof fn !== 'function') {
    throw new TypeError(`strikes: evalTask needs a function to wrap, got ${fn === null ? 'null' : typeof fn}`)
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `strikes: evalTask options must be an object, got ${options === null ? 'null' : typeof options}`,
    )
  }
  return createTask(define(options, fn as (...args: A) => Awaited<R> | Promise<Awaited<R>>))
}

function define<A extends unknown[], R>(
  options: TaskOptions<A, R>,
  fn: (...args: A) => R | Promise<R>,
): TaskDefinition<A, R> {
  const givenName = options.name ?? (fn.name !== '' ? fn.name : 'task')
  const where = `task "${givenName}"`
  checkTaskOptions(options, where)
  const label = deriveLabel(givenName, options.label, where)
  const scorers = (options.scorers ?? []).map((item) => toScorer(item, where))
  const seen = new Set<string>()
  for (const item of scorers) {
    const name = cleanLabel(item.name)
    if (seen.has(name)) {
      throw new TypeError(
        `strikes: ${where} has two scorers named "${name}", which would log into one metric; rename one (rename(scorer, 'other') from strikes/scorers, or { name })`,
      )
    }
    seen.add(name)
  }
  let asserted: Set<string> | undefined
  if (options.assertScores === true) asserted = new Set(scorers.map((item) => cleanLabel(item.name)))
  else if (Array.isArray(options.assertScores)) {
    const names = new Set(scorers.map((item) => cleanLabel(item.name)))
    asserted = new Set(options.assertScores.map((name) => cleanLabel(name)))
    for (const name of asserted) {
      if (!names.has(name)) {
        throw new TypeError(
          `strikes: ${where} asserts score "${name}", which none of its scorers produces (scorers: ${[...names].join(', ') || 'none'})`,
        )
      }
    }
  }
  return {
    name: givenName,
    label,
    fn,
    options,
    parameterNames: options.inputNames !== undefined ? [...options.inputNames] : readParameterNames(fn),
    scorers,
    scorerNames: scorers.map((item) => cleanLabel(item.name)),
    asserted,
    tags: options.tags ?? [],
  }
}

function settingsNow(): RecordingSettings {
  return activeRun()?.settings ?? runtime.settings
}

/**
 * Runs one call of a task and returns its span; never rejects. One async function per call: the span
 * is started here, synchronously, and the call runs in its context.
 */
function execute<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  args: A,
  trial?: number,
): Promise<TaskSpan<R>> {
  const run = activeRun()
  const settings = run?.settings ?? runtime.settings
  const started = startSpan<R>({
    name: def.name,
    label: def.label,
    kind: 'task',
    tags: def.tags,
    attributes: def.options.attributes,
    trial,
    run,
  })
  if (endedScope(run) !== undefined) {
    // Started after its test (or file) ended, by a batch still draining: cancelled, never called.
    started.span.fail(
      new TaskCancelledError(`task "${def.name}" started after its test ended; it was cancelled`),
    )
    return Promise.resolve(started.span)
  }
  return context.with(started.context, callInSpan<A, R>, undefined, def, started.span, args, settings)
}

async function callInSpan<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  args: A,
  settings: RecordingSettings,
): Promise<TaskSpan<R>> {
  let output: R
  try {
    logInputs(def, span, args, settings)
    output = await def.fn(...args)
    if (def.options.logOutput ?? settings.autolog) span.logOutput('output', output)
    if (def.scorers.length > 0) {
      const scored = score(def, span, output, args, settings)
      const results = Array.isArray(scored) ? scored : await scored
      const failedScores = recordScores(def, span, results)
      if (failedScores.length > 0) throw new ScoreAssertionError(def.name, failedScores)
    }
  } catch (thrown) {
    if (def.options.logExecutionMetrics === true && span.open) logExecution(span, false)
    span.fail(toError(thrown, `task "${def.name}"`))
    return span
  }
  if (def.options.logExecutionMetrics === true && span.open) logExecution(span, true)
  span.succeed(output)
  return span
}

/** The output of a call's span, or its error thrown. */
function outputOrThrow<R>(span: TaskSpan<R>): R {
  if (span.failed) throw span.error
  return span.output as R
}

/** The span of a call, or its error thrown. */
function spanOrThrow<R>(span: TaskSpan<R>): TaskSpan<R> {
  if (span.failed) throw span.error
  return span
}

function logInputs<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  args: A,
  settings: RecordingSettings,
): void {
  const which = def.options.logInputs ?? settings.autolog
  if (which === false || args.length === 0) return
  const names = inputNamesFor(def.parameterNames, args.length)
  for (let i = 0; i < args.length; i++) {
    const name = names[i] as string
    if (which === true || which.includes(name)) span.logInput(name, args[i])
  }
}

function logExecution(span: TaskSpan, success: boolean): void {
  span.recordMetric('exec.count', 1, { mode: 'count' }, 'exec')
  span.recordMetric('exec.success_rate', success, { mode: 'avg' }, 'exec')
}

/**
 * Runs the task's scorers concurrently. Synchronous scorers answer at once, so the results come back
 * without waiting (an array) unless a scorer returned a promise.
 */
function score<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  output: R,
  args: A,
  settings: RecordingSettings,
): ScoreResult[] | Promise<ScoreResult[]> {
  const input = args[0]
  let expected: unknown
  try {
    expected =
      def.options.expected !== undefined
        ? def.options.expected({ args, input })
        : expectedFromInput(input as unknown)
  } catch (thrown) {
    const error = `the expected-value hook threw: ${describeThrown(thrown)}`
    return def.scorers.map((item) => ({ name: cleanLabel(item.name), value: 0, metadata: {}, error }))
  }
  const scorerContext: ScorerContext<A> = { args, input, expected, task: span as TaskSpan }
  const timeoutMs = def.options.scorerTimeoutMs ?? settings.scorerTimeoutMs
  const results = def.scorers.map((item, index) =>
    runScorer(item, output, scorerContext, timeoutMs, def.scorerNames[index]),
  )
  for (const result of results) if (!isScoreResult(result)) return Promise.all(results)
  return results as ScoreResult[]
}

function isScoreResult(value: ScoreResult | Promise<ScoreResult>): value is ScoreResult {
  return !(value instanceof Promise)
}

/** Logs each score as a metric (warning for failed scorers) and returns the asserted scores that failed. */
function recordScores<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  results: readonly ScoreResult[],
): { name: string; value: number }[] {
  const failed: { name: string; value: number }[] = []
  const originHash = span.outputHash
  for (const result of results) {
    const attributes: Record<string, unknown> = result.metadata
    if (result.error !== undefined) {
      attributes.error = result.error
      console.warn(`strikes: task "${def.name}": ${result.error}; scored 0`)
    }
    span.recordMetric(result.name, result.value, { attributes }, 'scorer', originHash)
    if (def.asserted?.has(result.name) === true && !result.value)
      failed.push({ name: result.name, value: result.value })
  }
  return failed
}

function expectedFromInput(input: unknown): unknown {
  if (typeof input === 'object' && input !== null && 'expected' in input)
    return (input as { expected: unknown }).expected
  return undefined
}

function createTask<A extends unknown[], R>(def: TaskDefinition<A, R>): Task<A, R> {
  const where = `task "${def.name}"`

  const concurrencyOf = (options: MapOptions | undefined): number =>
    checkConcurrency(options?.concurrency ?? def.options.concurrency ?? settingsNow().concurrency, where)

  /** Expands the arguments of a batch form into calls: items or a count. */
  const callsOf = (
    first: unknown,
    rest: unknown[],
  ): { calls: Iterable<A> | AsyncIterable<A>; options?: MapOptions; counted: boolean } => {
    if (typeof first === 'number') {
      if (!Number.isInteger(first) || first < 0) {
        throw new TypeError(`strikes: ${where}: a count must be an integer >= 0, got ${first}`)
      }
      return { calls: repeat(rest as A, first), counted: true }
    }
    if (!isItems(first) || typeof first === 'string') {
      throw new TypeError(
        `strikes: ${where}: map needs an array (or iterable) of items or a count, got ${describe(first)}`,
      )
    }
    const options = rest[0] as MapOptions | undefined
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      throw new TypeError(`strikes: ${where}: map options must be an object, got ${describe(options)}`)
    }
    return { calls: toArgumentLists<A>(first, options?.spread === true, where), options, counted: false }
  }

  /**
   * Runs a batch and keeps what `keep` takes of each call, in input order: fail-fast rejects on the first
   * failure; otherwise failures are dropped. Only what is kept stays in memory (outputs for `map`, spans
   * for `mapRun`), so a long batch does not hold every span.
   */
  const batch = async <T>(
    form: string,
    first: unknown,
    rest: unknown[],
    failFast: boolean,
    keep: (span: TaskSpan<R>) => T,
  ): Promise<T[]> => {
    const { calls, options, counted } = callsOf(first, rest)
    const kept: (T | typeof DROPPED)[] = []
    let dropped = 0
    const progress = startProgress(
      def.label,
      form,
      knownSize(first),
      progressInterval(settingsNow().progressMs),
    )
    try {
      await runPool(calls, concurrencyOf(options), async (args, index) => {
        const span = await execute(def, args, counted ? index : undefined)
        progress.tick(span.failed)
        if (span.failed) {
          if (failFast) throw span.error
          kept[index] = DROPPED
          dropped += 1
        } else {
          kept[index] = keep(span)
        }
      })
    } finally {
      progress.end()
    }
    return dropped === 0 ? (kept as T[]) : (kept.filter((item) => item !== DROPPED) as T[])
  }

  const outputOf = (span: TaskSpan<R>): R => span.output as R
  const spanOf = (span: TaskSpan<R>): TaskSpan<R> => span
  const spans = async (promise: Promise<TaskSpan<R>[]>): Promise<TaskSpanList<R>> =>
    TaskSpanList.fromSpans(await promise)

  const task = ((...args: A): Promise<R> => execute(def, args).then(outputOrThrow)) as Task<A, R>
  const methods = {
    taskName: def.name,
    label: def.label,
    options: def.options,
    run: (...args: A) => execute(def, args).then(spanOrThrow),
    runAlways: (...args: A) => execute(def, args),
    try: async (...args: A) => {
      const span = await execute(def, args)
      return span.failed ? undefined : span.output
    },
    tryRun: async (...args: A) => {
      const span = await execute(def, args)
      return span.failed ? undefined : span
    },
    map: (first: unknown, ...rest: unknown[]) => batch('map', first, rest, true, outputOf),
    mapRun: (first: unknown, ...rest: unknown[]) => spans(batch('mapRun', first, rest, true, spanOf)),
    tryMap: (first: unknown, ...rest: unknown[]) => batch('tryMap', first, rest, false, outputOf),
    tryMapRun: (first: unknown, ...rest: unknown[]) => spans(batch('tryMapRun', first, rest, false, spanOf)),
    many: async (count: number, ...args: A) => batch('many', checkCount(count, where), args, true, outputOf),
    manyRun: async (count: number, ...args: A) =>
      spans(batch('manyRun', checkCount(count, where), args, true, spanOf)),
    tryMany: async (count: number, ...args: A) =>
      batch('tryMany', checkCount(count, where), args, false, outputOf),
    tryManyRun: async (count: number, ...args: A) =>
      spans(batch('tryManyRun', checkCount(count, where), args, false, spanOf)),
    retry: async (attempts: number, ...args: A) => {
      if (!Number.isInteger(attempts) || attempts < 1) {
        throw new TypeError(`strikes: ${where}: retry needs attempts >= 1, got ${String(attempts)}`)
      }
      let last: TaskSpan<R> | undefined
      for (let attempt = 0; attempt < attempts; attempt++) {
        last = await execute(def, args, attempt)
        if (!last.failed) return last.output as R
      }
      throw (last as TaskSpan<R>).error
    },
    topN: async (count: number, n: number, ...args: A) => {
      if (!Number.isInteger(n) || n < 0)
        throw new TypeError(`strikes: ${where}: topN needs n >= 0, got ${String(n)}`)
      const candidates = await spans(batch('topN', checkCount(count, where), args, false, spanOf))
      return candidates.topN(n, { by: def.options.rankBy }).outputs()
    },
    streamMap: (items: unknown, options?: MapOptions) => stream(items, options),
    with: (options: TaskWithOptions<A, R>) => createTask(define(mergeOptions(def, options), def.fn)),
  }

  async function* stream(items: unknown, options?: MapOptions): AsyncGenerator<TaskSpan<R>, void, undefined> {
    if (typeof items === 'number') {
      throw new TypeError(`strikes: ${where}: streamMap needs an array (or iterable) of items, got a count`)
    }
    const { calls } = callsOf(items, [options])
    const done: TaskSpan<R>[] = []
    let wake: (() => void) | undefined
    let finished = false
    let failure: unknown
    const abort = new AbortController()
    const progress = startProgress(
      def.label,
      'streamMap',
      knownSize(items),
      progressInterval(settingsNow().progressMs),
    )
    const pool = runPool(
      calls,
      concurrencyOf(options),
      async (args) => {
        const span = await execute(def, args)
        progress.tick(span.failed)
        done.push(span)
        wake?.()
      },
      abort.signal,
    ).then(
      () => {
        finished = true
        wake?.()
      },
      (error: unknown) => {
        failure = error
        finished = true
        wake?.()
      },
    )
    try {
      while (true) {
        while (done.length > 0) yield done.shift() as TaskSpan<R>
        if (finished) break
        await new Promise<void>((resolve) => {
          wake = resolve
        })
        wake = undefined
      }
      if (failure !== undefined) throw failure
    } finally {
      abort.abort()
      progress.end()
      void pool
    }
  }

  Object.defineProperty(task, 'name', { value: def.name })
  return Object.assign(task, methods) as Task<A, R>
}

function mergeOptions<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  options: TaskWithOptions<A, R>,
): TaskOptions<A, R> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`strikes: task "${def.name}".with() needs an options object`)
  }
  const { append, ...rest } = options
  const merged: TaskOptions<A, R> = { ...def.options, ...rest }
  if (def.options.name === undefined && rest.name === undefined) merged.name = def.name
  if (append === true) {
    merged.scorers = [...(def.options.scorers ?? []), ...(rest.scorers ?? [])]
    merged.tags = [...(def.options.tags ?? []), ...(rest.tags ?? [])]
    merged.attributes = { ...(def.options.attributes ?? {}), ...(rest.attributes ?? {}) }
  }
  return merged
}

function checkCount(count: unknown, where: string): number {
  if (!Number.isInteger(count) || (count as number) < 0) {
    throw new TypeError(`strikes: ${where}: a count must be an integer >= 0, got ${String(count)}`)
  }
  return count as number
}

function* repeat<A>(args: A, count: number): Generator<A> {
  for (let i = 0; i < count; i++) yield args
}

function toArgumentLists<A extends unknown[]>(
  items: Iterable<unknown> | AsyncIterable<unknown>,
  spread: boolean,
  where: string,
): Iterable<A> | AsyncIterable<A> {
  const convert = (item: unknown, index: number): A => {
    if (!spread) return [item] as A
    if (!Array.isArray(item)) {
      throw new TypeError(
        `strikes: ${where}: with { spread: true } item ${index} must be an argument tuple, got ${describe(item)}`,
      )
    }
    return item as A
  }
  if (typeof (items as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return (async function* () {
      let index = 0
      for await (const item of items as AsyncIterable<unknown>) yield convert(item, index++)
    })()
  }
  return (function* () {
    let index = 0
    for (const item of items as Iterable<unknown>) yield convert(item, index++)
  })()
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`
}
