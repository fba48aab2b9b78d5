/**
 * The batch call forms of a task (`map`, `many`, `topN`, `streamMap`, …): their arguments expanded into
 * calls — items (each repeated for its trials), argument tuples or a count — and run with bounded
 * concurrency, keeping only what each form returns.
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
  /** The calls in order: each item's trials one after another. */
  readonly calls: Iterable<A> | AsyncIterable<A>
  readonly options: MapOptions | undefined
  /** True for the count form: each call is a trial, numbered. */
  readonly counted: boolean
  /** Calls per item (1 for the count form). */
  readonly trials: number
}

/** The trial number of the call at `position` of a batch (`undefined` for a single call per item). */
export function trialAt(batch: BatchCalls<unknown[]>, position: number): number | undefined {
  if (batch.counted) return position
  return batch.trials > 1 ? position % batch.trials : undefined
}

/** Expands the arguments of a batch form into calls: items (first argument, or tuples with `spread`) or a count. */
export function batchCalls<A extends unknown[]>(
  where: string,
  first: unknown,
  rest: unknown[],
): BatchCalls<A> {
  if (typeof first === 'number') {
    return {
      calls: repeat(rest as A, checkCount(first, where)),
      options: undefined,
      counted: true,
      trials: 1,
    }
  }
  if (!isItems(first) || typeof first === 'string') {
    throw new TypeError(
      `strikes: ${where}: map needs an array (or iterable) of items or a count, got ${describeKind(first)}`,
    )
  }
  const options = rest[0] as MapOptions | undefined
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`strikes: ${where}: map options must be an object, got ${describeKind(options)}`)
  }
  const settings = activeRun()?.settings ?? runtime.settings
  const trials = options?.trials ?? settings.trials
  if (!Number.isInteger(trials) || trials < 1) {
    throw new TypeError(`strikes: ${where}: trials must be a positive integer, got ${String(trials)}`)
  }
  return {
    calls: toArgumentLists<A>(first, options?.spread === true, trials, where),
    options,
    counted: false,
    trials,
  }
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
  trials: number,
) {
  const settings = activeRun()?.settings ?? runtime.settings
  const size = knownSize(items)
  return startProgress(
    def.label,
    form,
    size === undefined ? undefined : size * trials,
    progressInterval(settings.progressMs),
  )
}

/** What a batch keeps of its calls. */
export interface BatchKeep<R, T> {
  /** What is kept of a successful call (its output for `map`, its span for `mapRun`). */
  readonly keep: (span: TaskSpan<R>) => T
  /** Reject on the first failure (`map`), rather than drop failures (`tryMap`). */
  readonly failFast: boolean
  /**
   * One result per item, whatever its trials: the first of its trials that succeeded (`map`, `tryMap`);
   * otherwise one per call, each item's trials in order (`mapRun`, `tryMapRun`).
   */
  readonly perItem: boolean
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
  { keep, failFast, perItem }: BatchKeep<R, T>,
): Promise<T[]> {
  const kept: (T | typeof DROPPED)[] = []
  let dropped = 0
  const progress = batchProgress(def, form, size, batch.trials)
  try {
    await runPool(batch.calls, batchConcurrency(def, batch.options), async (args, index) => {
      const span = await callTask(def, args, trialAt(batch as BatchCalls<unknown[]>, index))
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
  if (perItem && batch.trials > 1) return firstOfEachItem(kept, batch.trials)
  return dropped === 0 ? (kept as T[]) : (kept.filter((item) => item !== DROPPED) as T[])
}

/** Per item (each `trials` consecutive calls), what the first successful trial kept; items with none left out. */
function firstOfEachItem<T>(kept: readonly (T | typeof DROPPED)[], trials: number): T[] {
  const firsts: T[] = []
  for (let start = 0; start < kept.length; start += trials) {
    for (let trial = start; trial < start + trials && trial < kept.length; trial++) {
      const value = kept[trial]
      if (value !== DROPPED && trial in kept) {
        firsts.push(value as T)
        break
      }
    }
  }
  return firsts
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

/** Each item as an argument list, `trials` times in a row. */
function toArgumentLists<A extends unknown[]>(
  items: Iterable<unknown> | AsyncIterable<unknown>,
  spread: boolean,
  trials: number,
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
      for await (const item of items as AsyncIterable<unknown>) {
        const args = convert(item, index++)
        for (let trial = 0; trial < trials; trial++) yield args
      }
    })()
  }
  return (function* () {
    let index = 0
    for (const item of items as Iterable<unknown>) {
      const args = convert(item, index++)
      for (let trial = 0; trial < trials; trial++) yield args
    }
  })()
}
