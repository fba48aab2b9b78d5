/**
 * `streamMap`: a task's calls over items with bounded concurrency, yielding each span as it finishes
 * (completion order), failed spans included; breaking out of the loop stops new calls from starting.
 */

import type { MapOptions } from './batch.js'
import { runPool } from './batch.js'
import type { BatchCalls } from './task-batch.js'
import { batchCalls, batchConcurrency, batchProgress, trialAt } from './task-batch.js'
import { callTask } from './task-call.js'
import type { TaskDefinition } from './task-definition.js'
import type { TaskSpan } from './task-span.js'

/** Yields the spans of a task's calls over `items` in completion order. */
export async function* streamTask<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  items: unknown,
  options: MapOptions | undefined,
): AsyncGenerator<TaskSpan<R>, void, undefined> {
  if (typeof items === 'number') {
    throw new TypeError(`strikes: ${def.where}: streamMap needs an array (or iterable) of items, got a count`)
  }
  const batch = batchCalls<A>(def.where, items, [options])
  const done: TaskSpan<R>[] = []
  let wake: (() => void) | undefined
  let finished = false
  let failure: unknown
  const abort = new AbortController()
  const progress = batchProgress(def, 'streamMap', items, batch.trials)
  const pool = runPool(
    batch.calls,
    batchConcurrency(def, options),
    async (args, index) => {
      const span = await callTask(def, args, trialAt(batch as BatchCalls<unknown[]>, index))
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
