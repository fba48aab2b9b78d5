/**
 * The batch call forms of a task (`map`, `many`, `topN`, `streamMap`, …): their arguments expanded into
 * calls — items, argument tuples or a count — and run with bounded concurrency, keeping only what each
 * form returns.
 */
import { checkConcurrency, isItems, type MapOptions, runPool } from './batch.js'
import { activeRun } from './current.js'
import { describeKind } from './describe-value.js'
import { knownSize, progressInterval, startProgress } from './progress.js'
import { runtime } from './runtime.js'
import { callTask } from './task-call.js'
import type { TaskDefinition } from './task-definition.js'
import type { TaskSpan } from './task-span.js'

/** Marks a dropped (failed) call in a batch's kept results. */
const DROPPED: unique symbol = Symbol('dropped')

/** The calls of a batch form. */
export interface BatchCalls<A> {
  readonly calls: Iterable<A> | AsyncIterable<A>
  readonly options: MapOptions | undefined
  /** True for the count form: each call is a trial, numbered. */
  readonly counted: boolean
}

/** Expands the arguments of a batch form into calls: items (first argument, or tuples with `spread`) or a count. */
export function batchCalls<A extends unknown[]>(
  where: string,
  first: unknown,
  rest: unknown[],
): BatchCalls<A> {
  if (typeof first === 'number')
    return { calls: repeat(rest as A, checkCount(first, where)), options: undefined, counted: true }
  if (!isItems(first) || typeof first === 'string') {
    throw new TypeError(
      `strikes: ${where}: map needs an array (or iterable) of items or a count, got ${describeKind(first)}`,
    )
  }
  const options = rest[0] as MapOptions | undefined
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`strikes: ${where}: map options must be an object, got ${describeKind(options)}`)
  }
  return { calls: toArgumentLists<A>(first, options?.spread === true, where), options, counted: false }
}

/** The concurrency of a batch: the call's option, else the task's, else the run's setting. */
export function batchConcurrency<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  options: MapOptions | undefined,
): number {
  const settings = activeRun()?.settings ?? runtime.settings
  return checkConcurrency(options?.concurrency ?? def.options.concurrency ?? settings.concurrency, def.where)
}

/** Progress lines of a batch of the task, at the run's interval. */
export function batchProgress<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  form: string,
  items: unknown,
) {
  const settings = activeRun()?.settings ?? runtime.settings
  return startProgress(def.label, form, knownSize(items), progressInterval(settings.progressMs))
}

/**
 * Runs a batch and keeps what `keep` takes of each call, in input order: fail-fast rejects on the first
 * failure; otherwise failures are dropped. Only what is kept stays in memory (outputs for `map`, spans
 * for `mapRun`), so a long batch does not hold every span.
 */
export async function runBatch<A extends unknown[], R, T>(
  def: TaskDefinition<A, R>,
  form: string,
  batch: BatchCalls<A>,
  size: unknown,
  failFast: boolean,
  keep: (span: TaskSpan<R>) => T,
): Promise<T[]> {
  const kept: (T | typeof DROPPED)[] = []
  let dropped = 0
  const progress = batchProgress(def, form, size)
  try {
    await runPool(batch.calls, batchConcurrency(def, batch.options), async (args, index) => {
      const span = await callTask(def, args, batch.counted ? index : undefined)
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

/** Checks a count: an integer >= 0. */
export function checkCount(count: unknown, where: string): number {
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
        `strikes: ${where}: with { spread: true } item ${index} must be an argument tuple, got ${describeKind(item)}`,
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
