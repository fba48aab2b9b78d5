/**
 * Bounded concurrency for `map`, `many` and `streamMap`: at most `concurrency` calls in flight (enforced
 * with p-limit), items pulled lazily so memory does not grow with the number of items.
 */
import pLimit from 'p-limit'

/** Options of the batch forms (`map`, `mapRun`, `tryMap`, `tryMapRun`, `streamMap`). */
export interface MapOptions {
  /** Most calls in flight at once; default: the task's `concurrency`, else the plugin's, else 16. */
  concurrency?: number
  /** Each item is a tuple supplying all arguments, instead of the first argument. */
  spread?: boolean
  /**
   * Calls per item (repeated trials, numbered from 0 in `spans.trial`), run concurrently within the same
   * limit; default: `STRIKES_TRIALS`, else the plugin's `trials`, else 1.
   */
  trials?: number
}

/** Checks a concurrency value: a positive integer or `Infinity`. */
export function checkConcurrency(value: unknown, where: string): number {
  if (value === Number.POSITIVE_INFINITY || (Number.isInteger(value) && (value as number) >= 1))
    return value as number
  throw new TypeError(`strikes: ${where}: concurrency must be a positive integer, got ${String(value)}`)
}

type AnyIterable<T> = Iterable<T> | AsyncIterable<T>

function iteratorOf<T>(items: AnyIterable<T>): Iterator<T> | AsyncIterator<T> {
  const asyncIterator = (items as AsyncIterable<T>)[Symbol.asyncIterator]
  if (typeof asyncIterator === 'function') return asyncIterator.call(items)
  return (items as Iterable<T>)[Symbol.iterator]()
}

/** True for values `map` accepts as items (any iterable or async iterable except a string). */
export function isItems(value: unknown): value is AnyIterable<unknown> {
  if (value === null || typeof value !== 'object') return false
  return (
    typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function' ||
    typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  )
}

/**
 * Calls `fn` for every item with at most `concurrency` calls in flight. When `fn` throws, no new item
 * starts and the returned promise rejects with that error at once (calls in flight finish on their own).
 * An aborted `signal` also stops new items from starting.
 */
export async function runPool<T>(
  items: AnyIterable<T>,
  concurrency: number,
  fn: (item: T, index: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let source = items
  let width = concurrency
  if (!Number.isFinite(width)) {
    const all: T[] = []
    for await (const item of items) all.push(item)
    source = all
    width = all.length
  } else if (Array.isArray(items)) {
    width = Math.min(width, items.length)
  }
  if (width < 1) width = 1
  const iterator = iteratorOf(source)
  const limit = pLimit(width)
  let index = 0
  let stopped = false
  const halted = (): boolean => stopped || signal?.aborted === true
  // Each lane pulls the next item when its call ends, so items are read lazily and in order.
  const lane = async (): Promise<void> => {
    while (!halted()) {
      // The position is taken with the pull, so positions follow the item order.
      const pulled = iterator.next()
      const position = index++
      const next = await pulled
      if (next.done === true || halted()) return
      try {
        await limit(fn, next.value, position)
      } catch (error) {
        stopped = true
        throw error
      }
    }
  }
  await Promise.all(Array.from({ length: width }, lane))
}
