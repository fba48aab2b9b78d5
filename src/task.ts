/**
 * `evalTask`: wraps a function so that each call is a recorded task — a span with timing, inputs, output,
 * metrics and scores — and gives it the call forms of the reference SDK (`run`, `try`, `map`, `many`, …).
 */
import type { MapOptions } from './batch.js'
import { type BatchKeep, batchCalls, checkCount, runBatch } from './task-batch.js'
import { callTask, outputOrThrow, spanOrThrow } from './task-call.js'
import { defineTask, mergeTaskOptions, type TaskDefinition } from './task-definition.js'
import type { TaskOptions, TaskWithOptions } from './task-options.js'
import type { TaskSpan } from './task-span.js'
import { TaskSpanList } from './task-span-list.js'
import { streamTask } from './task-stream.js'

export type { MapOptions } from './batch.js'

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
  /**
   * Outputs in input order, one per item; rejects on the first failure and starts nothing more. With
   * `trials` > 1 every trial is called and recorded, and an item's output is its first trial's.
   */
  map: MapForm<A, R[]>
  /** Spans in input order — every trial of every item, an item's trials one after another; rejects on the first failure. */
  mapRun: MapForm<A, TaskSpanList<R>>
  /** Outputs of the successes in input order, one per item (its first trial that succeeded); failures are recorded and dropped. */
  tryMap: MapForm<A, R[]>
  /** Spans of the successes in input order, every trial. */
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
  return createTask(defineTask(options, fn as (...args: A) => Awaited<R> | Promise<Awaited<R>>))
}

/** Builds the task function and its call forms over a definition. */
function createTask<A extends unknown[], R>(def: TaskDefinition<A, R>): Task<A, R> {
  const where = def.where
  const outputOf = (span: TaskSpan<R>): R => span.output as R
  const spanOf = (span: TaskSpan<R>): TaskSpan<R> => span
  /** A batch form over items (each for its trials) or a count. */
  const items =
    <T>(form: string, keeping: BatchKeep<R, T>) =>
    async (first: unknown, ...rest: unknown[]): Promise<T[]> =>
      runBatch(def, form, batchCalls<A>(where, first, rest), first, keeping)
  /** A batch form of `count` calls with the same arguments. */
  const counted =
    <T>(form: string, keeping: BatchKeep<R, T>) =>
    async (count: number, ...args: A): Promise<T[]> => {
      const size = checkCount(count, where)
      return runBatch(def, form, batchCalls<A>(where, size, args), size, keeping)
    }
  const outputs = (failFast: boolean): BatchKeep<R, R> => ({ keep: outputOf, failFast, perItem: true })
  const spans = (failFast: boolean): BatchKeep<R, TaskSpan<R>> => ({ keep: spanOf, failFast, perItem: false })
  const listed =
    <P extends unknown[]>(form: (...args: P) => Promise<TaskSpan<R>[]>) =>
    async (...args: P): Promise<TaskSpanList<R>> =>
      TaskSpanList.fromSpans(await form(...args))

  const task = ((...args: A): Promise<R> => callTask(def, args).then(outputOrThrow)) as Task<A, R>
  const methods = {
    taskName: def.name,
    label: def.label,
    options: def.options,
    run: (...args: A) => callTask(def, args).then(spanOrThrow),
    runAlways: (...args: A) => callTask(def, args),
    try: async (...args: A) => {
      const span = await callTask(def, args)
      return span.failed ? undefined : span.output
    },
    tryRun: async (...args: A) => {
      const span = await callTask(def, args)
      return span.failed ? undefined : span
    },
    map: items('map', outputs(true)),
    mapRun: listed(items('mapRun', spans(true))),
    tryMap: items('tryMap', outputs(false)),
    tryMapRun: listed(items('tryMapRun', spans(false))),
    many: counted('many', outputs(true)),
    manyRun: listed(counted('manyRun', spans(true))),
    tryMany: counted('tryMany', outputs(false)),
    tryManyRun: listed(counted('tryManyRun', spans(false))),
    retry: async (attempts: number, ...args: A) => {
      if (!Number.isInteger(attempts) || attempts < 1) {
        throw new TypeError(`strikes: ${where}: retry needs attempts >= 1, got ${String(attempts)}`)
      }
      let last: TaskSpan<R> | undefined
      for (let attempt = 0; attempt < attempts; attempt++) {
        last = await callTask(def, args, attempt)
        if (!last.failed) return last.output as R
      }
      throw (last as TaskSpan<R>).error
    },
    topN: async (count: number, n: number, ...args: A) => {
      if (!Number.isInteger(n) || n < 0)
        throw new TypeError(`strikes: ${where}: topN needs n >= 0, got ${String(n)}`)
      const candidates = await listed(counted('topN', spans(false)))(count, ...args)
      return candidates.topN(n, { by: def.options.rankBy }).outputs()
    },
    streamMap: (source: unknown, options?: MapOptions) => streamTask(def, source, options),
    with: (options: TaskWithOptions<A, R>) => createTask(defineTask(mergeTaskOptions(def, options), def.fn)),
  }
  Object.defineProperty(task, 'name', { value: def.name })
  return Object.assign(task, methods) as Task<A, R>
}
