/**
 * Every call form of a task (API.md §2's table) with its failure behaviour.
 */
import { describe, expect, it } from 'vitest'
import { evalTask, logMetric, scorer, TaskSpan, TaskSpanList, taskSpan } from '../../src/index.js'
import { delay, type Gate, gate, InFlight, settle } from './helpers.js'

class Boom extends Error {
  override name = 'Boom'
}

/** A task that doubles a number after `ms` milliseconds and fails for negative numbers. */
function doubler() {
  const calls: number[] = []
  const task = evalTask(async function double(n: number, ms = 0) {
    calls.push(n)
    if (ms > 0) await delay(ms)
    if (n < 0) throw new Boom(`negative: ${n}`)
    return n * 2
  })
  return { task, calls }
}

describe('task()', () => {
  it('resolves with the output of the wrapped function', async () => {
    const { task } = doubler()
    await expect(task(21)).resolves.toBe(42)
  })

  it('rejects with the very error the function threw', async () => {
    const error = new Boom('kaput')
    const task = evalTask(async function fails() {
      throw error
    })
    await expect(task()).rejects.toBe(error)
  })

  it('wraps a synchronous function and resolves with its return value', async () => {
    const task = evalTask(function upper(text: string) {
      return text.toUpperCase()
    })
    await expect(task('abc')).resolves.toBe('ABC')
  })

  it('rejects when a synchronous function throws, without throwing synchronously', async () => {
    const task = evalTask(function explode(): number {
      throw new Boom('sync')
    })
    const promise = task()
    expect(promise).toBeInstanceOf(Promise)
    await expect(promise).rejects.toThrow('sync')
  })
})

describe('task.run', () => {
  it('resolves with the TaskSpan holding the output', async () => {
    const { task } = doubler()
    const span = await task.run(4)
    expect(span).toBeInstanceOf(TaskSpan)
    expect(span.output).toBe(8)
    expect(span.failed).toBe(false)
    expect(span.error).toBeUndefined()
    expect(span.name).toBe('double')
  })

  it('rejects with the task error', async () => {
    const { task } = doubler()
    await expect(task.run(-1)).rejects.toThrow('negative: -1')
  })
})

describe('task.runAlways', () => {
  it('never rejects: a failure is reported as span.failed and span.error', async () => {
    const { task } = doubler()
    const span = await task.runAlways(-3)
    expect(span.failed).toBe(true)
    expect(span.error).toBeInstanceOf(Boom)
    expect(span.error?.message).toBe('negative: -3')
    expect(span.output).toBeUndefined()
  })

  it('returns a succeeded span with the output on success', async () => {
    const { task } = doubler()
    const span = await task.runAlways(5)
    expect(span.failed).toBe(false)
    expect(span.output).toBe(10)
  })
})

describe('task.try', () => {
  it('resolves with the output on success', async () => {
    const { task } = doubler()
    await expect(task.try(2)).resolves.toBe(4)
  })

  it('resolves with undefined on failure and still records the failed span', async () => {
    const { task } = doubler()
    let result: number | undefined = 0
    const parent = await taskSpan('parent', async (span) => {
      result = await task.try(-1)
      return span
    })
    expect(result).toBeUndefined()
    expect(parent.children).toHaveLength(1)
    expect(parent.children[0]?.failed).toBe(true)
    expect(parent.children[0]?.error?.message).toBe('negative: -1')
  })
})

describe('task.tryRun', () => {
  it('resolves with the span on success', async () => {
    const { task } = doubler()
    const span = await task.tryRun(3)
    expect(span?.output).toBe(6)
  })

  it('resolves with undefined on failure', async () => {
    const { task } = doubler()
    await expect(task.tryRun(-3)).resolves.toBeUndefined()
  })
})

describe('task.map', () => {
  it('returns outputs in input order even when later items finish first', async () => {
    const gates = new Map<number, Gate>([1, 2, 3, 4].map((n) => [n, gate()]))
    const finished: number[] = []
    const released = evalTask(async function released(n: number) {
      await gates.get(n)?.promise
      finished.push(n)
      return n * 2
    })
    const outputs = released.map([1, 2, 3, 4])
    for (const n of [4, 3, 2, 1]) {
      gates.get(n)?.open()
      await settle()
    }
    await expect(outputs).resolves.toEqual([2, 4, 6, 8])
    expect(finished).toEqual([4, 3, 2, 1])
  })

  it('passes each item as the first argument', async () => {
    const seen: unknown[][] = []
    const task = evalTask(async function record(...args: unknown[]) {
      seen.push(args)
      return args.length
    })
    await task.map([{ a: 1 }, [1, 2]])
    expect(seen).toEqual([[{ a: 1 }], [[1, 2]]])
  })

  it('with { spread: true } spreads each tuple item as all the arguments', async () => {
    const add = evalTask(async function add(a: number, b: number) {
      return a + b
    })
    await expect(
      add.map(
        [
          [1, 2],
          [10, 20],
        ],
        { spread: true },
      ),
    ).resolves.toEqual([3, 30])
  })

  it('with { spread: true } rejects an item that is not a tuple with a TypeError naming its index', async () => {
    const add = evalTask(async function add(a: number, b: number) {
      return a + b
    })
    await expect(add.map([[1, 2], 3 as unknown as [number, number]], { spread: true })).rejects.toThrow(
      /item 1 must be an argument tuple/,
    )
  })

  it('the count form map(3, x) calls the task three times with the same arguments', async () => {
    const { task, calls } = doubler()
    await expect(task.map(3, 7)).resolves.toEqual([14, 14, 14])
    expect(calls).toEqual([7, 7, 7])
  })

  it('accepts any iterable and async iterable of items', async () => {
    const { task } = doubler()
    async function* items() {
      yield 1
      await delay(1)
      yield 2
    }
    await expect(task.map(new Set([1, 2, 3]))).resolves.toEqual([2, 4, 6])
    await expect(task.map(items())).resolves.toEqual([2, 4])
  })

  it('resolves with an empty array for no items and for a count of 0', async () => {
    const { task, calls } = doubler()
    await expect(task.map([])).resolves.toEqual([])
    await expect(task.map(0, 1)).resolves.toEqual([])
    expect(calls).toEqual([])
  })

  it('rejects on the first failure with that failure', async () => {
    const gates = [gate(), gate(), gate()]
    const task = evalTask(async function gated(index: number) {
      await gates[index]?.promise
      return index
    })
    const outcome = task.map([0, 1, 2]).catch((thrown: unknown) => thrown)
    // item 2 fails first, then item 1
    gates[2]?.fail(new Boom('item 2'))
    await settle()
    gates[1]?.fail(new Boom('item 1'))
    gates[0]?.open()
    const error = await outcome
    expect(error).toBeInstanceOf(Boom)
    expect((error as Error).message).toBe('item 2')
  })

  it('does not start items that had not started when the first failure happened', async () => {
    const gates = Array.from({ length: 10 }, () => gate())
    const calls: number[] = []
    const task = evalTask(async function gated(index: number) {
      calls.push(index)
      await gates[index]?.promise
      return index
    })
    const outcome = task.map([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { concurrency: 2 })
    await settle()
    expect(calls).toEqual([0, 1])
    gates[1]?.fail(new Boom('item 1'))
    await expect(outcome).rejects.toThrow('item 1')
    // the call in flight (item 0) finishes; nothing new may start after it
    gates[0]?.open()
    await settle()
    await settle()
    expect(calls).toEqual([0, 1])
  })

  it('does not start more items after a synchronous failure, even when calls finish in the same tick', async () => {
    const calls: number[] = []
    const task = evalTask(function check(n: number) {
      calls.push(n)
      if (n === 0) throw new Boom('zero')
      return n
    })
    await expect(task.map([0, 1, 2, 3, 4, 5, 6, 7], { concurrency: 2 })).rejects.toThrow('zero')
    await delay(10)
    expect(calls).toEqual([0, 1])
  })

  it('rejects a string or another non-iterable first argument with a TypeError', async () => {
    const { task } = doubler()
    await expect(task.map('abc' as unknown as number[])).rejects.toThrow(TypeError)
    await expect(task.map({} as unknown as number[])).rejects.toThrow(/map needs an array/)
    await expect(task.map(-1, 1)).rejects.toThrow(/count must be an integer >= 0/)
    await expect(task.map(1.5, 1)).rejects.toThrow(TypeError)
  })
})

describe('task.mapRun', () => {
  it('resolves with a TaskSpanList of the spans in input order', async () => {
    const { task } = doubler()
    const spans = await task.mapRun(
      [
        [3, 20],
        [1, 1],
      ],
      { spread: true },
    )
    expect(spans).toBeInstanceOf(TaskSpanList)
    expect(spans.map((span) => span.output)).toEqual([6, 2])
  })

  it('the count form mapRun(10, x) returns ten spans of the same arguments', async () => {
    const { task } = doubler()
    const spans = await task.mapRun(10, 2)
    expect(spans).toHaveLength(10)
    expect(spans.every((span) => span.output === 4)).toBe(true)
  })

  it('rejects on the first failure', async () => {
    const { task } = doubler()
    await expect(task.mapRun([1, -1, 2])).rejects.toThrow('negative: -1')
  })
})

describe('task.tryMap', () => {
  it('returns the outputs of the successes in input order, dropping failures', async () => {
    const { task, calls } = doubler()
    await expect(task.tryMap([3, -1, 1, -2, 2])).resolves.toEqual([6, 2, 4])
    expect([...calls].sort()).toEqual([-1, -2, 1, 2, 3].sort())
  })

  it('records the dropped failures as failed spans', async () => {
    const { task } = doubler()
    const parent = await taskSpan('batch', async (span) => {
      await task.tryMap([1, -1])
      return span
    })
    expect(parent.children.map((child) => child.failed)).toEqual([false, true])
  })

  it('the count form tryMap(5) calls the task five times', async () => {
    let call = 0
    const flaky = evalTask(async function flaky() {
      call += 1
      if (call % 2 === 0) throw new Boom('even call')
      return call
    })
    await expect(flaky.tryMap(5)).resolves.toEqual([1, 3, 5])
  })
})

describe('task.tryMapRun', () => {
  it('returns a TaskSpanList of the successful spans only', async () => {
    const { task } = doubler()
    const spans = await task.tryMapRun([1, -1, 2])
    expect(spans).toBeInstanceOf(TaskSpanList)
    expect(spans.map((span) => span.output)).toEqual([2, 4])
    expect(spans.every((span) => !span.failed)).toBe(true)
  })

  it('the count form tryMapRun(5) returns up to five spans', async () => {
    const { task } = doubler()
    const spans = await task.tryMapRun(5, 1)
    expect(spans).toHaveLength(5)
  })
})

describe('task.many', () => {
  it('calls the task count times with the same arguments and returns the outputs', async () => {
    const { task, calls } = doubler()
    await expect(task.many(4, 5)).resolves.toEqual([10, 10, 10, 10])
    expect(calls).toEqual([5, 5, 5, 5])
  })

  it('rejects on the first failure', async () => {
    const { task } = doubler()
    await expect(task.many(3, -5)).rejects.toThrow('negative: -5')
  })

  it('rejects a count that is not an integer >= 0 with a TypeError', async () => {
    const { task } = doubler()
    await expect(task.many(-1, 1)).rejects.toThrow(TypeError)
    await expect(task.many(Number.NaN, 1)).rejects.toThrow(/count must be an integer/)
  })
})

describe('task.manyRun', () => {
  it('returns a TaskSpanList of count spans', async () => {
    const { task } = doubler()
    const spans = await task.manyRun(3, 1)
    expect(spans).toBeInstanceOf(TaskSpanList)
    expect(spans.map((span) => span.output)).toEqual([2, 2, 2])
  })
})

describe('task.tryMany', () => {
  it('returns the outputs of the successes', async () => {
    let call = 0
    const flaky = evalTask(async function flaky(x: string) {
      call += 1
      if (call === 2) throw new Boom('second call')
      return `${x}${call}`
    })
    await expect(flaky.tryMany(3, 'x')).resolves.toEqual(['x1', 'x3'])
  })
})

describe('task.retry', () => {
  it('returns the first successful output and makes no further attempt', async () => {
    let attempts = 0
    const flaky = evalTask(async function flaky(x: number) {
      attempts += 1
      if (attempts < 3) throw new Boom(`attempt ${attempts}`)
      return x + attempts
    })
    await expect(flaky.retry(5, 10)).resolves.toBe(13)
    expect(attempts).toBe(3)
  })

  it('makes exactly `attempts` calls and rejects with the last error when all fail', async () => {
    let attempts = 0
    const broken = evalTask(async function broken() {
      attempts += 1
      throw new Boom(`attempt ${attempts}`)
    })
    await expect(broken.retry(3)).rejects.toThrow('attempt 3')
    expect(attempts).toBe(3)
  })

  it('runs the attempts one after another, never concurrently', async () => {
    const inFlight = new InFlight()
    const broken = evalTask(async function broken() {
      return inFlight.track(async () => {
        await delay(2)
        throw new Boom('no')
      })
    })
    await expect(broken.retry(4)).rejects.toThrow('no')
    expect(inFlight.started).toBe(4)
    expect(inFlight.peak).toBe(1)
  })

  it('rejects attempts below 1 with a TypeError', async () => {
    const { task } = doubler()
    await expect(task.retry(0, 1)).rejects.toThrow(/retry needs attempts >= 1/)
  })
})

describe('task.topN', () => {
  it('returns the outputs of the best n of count runs, best first, by the average metric', async () => {
    let call = 0
    const qualities = [0.2, 0.9, 0.5, 0.7]
    const generate = evalTask(async function generate(prompt: string) {
      const quality = qualities[call] as number
      call += 1
      logMetric('quality', quality)
      return `${prompt}:${quality}`
    })
    await expect(generate.topN(4, 2, 'p')).resolves.toEqual(['p:0.9', 'p:0.7'])
  })

  it('drops failures', async () => {
    let call = 0
    const generate = evalTask(async function generate() {
      call += 1
      if (call === 1) throw new Boom('first')
      logMetric('quality', call)
      return call
    })
    await expect(generate.topN(3, 5)).resolves.toEqual([3, 2])
  })

  it('ranks by scorer metrics too, and by `rankBy` when the task sets it', async () => {
    let call = 0
    const length = scorer('length', (output: string) => output.length)
    const generate = evalTask(
      { name: 'generate', scorers: [length], rankBy: 'brevity' },
      async function generate() {
        call += 1
        logMetric('brevity', 1 / call)
        return 'x'.repeat(call)
      },
    )
    await expect(generate.topN(3, 1)).resolves.toEqual(['x'])
  })
})

describe('task.streamMap', () => {
  it('yields spans in completion order', async () => {
    const gates = [gate(), gate(), gate(), gate()]
    const gated = evalTask(async function gated(index: number) {
      await gates[index]?.promise
      return index
    })
    // later items finish first: each yielded span releases the next item of this order
    const release = [3, 1, 2, 0]
    const order: number[] = []
    const stream = gated.streamMap([0, 1, 2, 3])
    gates[release[0] as number]?.open()
    for await (const span of stream) {
      order.push(span.output as number)
      gates[release[order.length] as number]?.open()
    }
    expect(order).toEqual([3, 1, 2, 0])
  })

  it('yields failed spans with failed: true and keeps going', async () => {
    const { task } = doubler()
    const spans: TaskSpan<number>[] = []
    for await (const span of task.streamMap([1, -1, 2])) spans.push(span)
    expect(spans).toHaveLength(3)
    expect(spans.filter((span) => span.failed).map((span) => span.error?.message)).toEqual(['negative: -1'])
    expect(
      spans
        .filter((span) => !span.failed)
        .map((span) => span.output)
        .sort(),
    ).toEqual([2, 4])
  })

  it('supports { spread: true } tuples', async () => {
    const add = evalTask(async function add(a: number, b: number) {
      return a + b
    })
    const outputs: number[] = []
    for await (const span of add.streamMap(
      [
        [1, 1],
        [2, 2],
      ],
      { spread: true, concurrency: 1 },
    ))
      outputs.push(span.output as number)
    expect(outputs).toEqual([2, 4])
  })

  it('rejects a count or a string instead of items with a TypeError', async () => {
    const { task } = doubler()
    const drain = async (items: unknown) => {
      for await (const _ of task.streamMap(items as number[])) {
        // drain
      }
    }
    await expect(drain(3)).rejects.toThrow(/streamMap needs an array \(or iterable\) of items/)
    await expect(drain('abc')).rejects.toThrow(TypeError)
  })

  it('stops starting new items when the consumer breaks out early', async () => {
    const { task, calls } = doubler()
    for await (const span of task.streamMap([1, 2, 3, 4, 5, 6], { concurrency: 1 })) {
      if (span.output === 2) break
    }
    await delay(10)
    expect(calls).toEqual([1])
  })
})

describe('task.with', () => {
  it('returns a new task with the given options and leaves the original unchanged', async () => {
    const base = evalTask({ name: 'Base Task', tags: ['a'] }, async (x: number) => x + 1)
    const renamed = base.with({ name: 'Other Task', tags: ['b'] })
    expect(renamed.taskName).toBe('Other Task')
    expect(renamed.label).toBe('other_task')
    expect(base.taskName).toBe('Base Task')
    expect(base.label).toBe('base_task')
    expect((await renamed.run(1)).tags).toEqual(['b'])
    expect((await base.run(1)).tags).toEqual(['a'])
    await expect(renamed(1)).resolves.toBe(2)
  })

  it('keeps the name of the function when the new options do not set one', async () => {
    const base = evalTask(async function summarize(x: string) {
      return x
    })
    const tagged = base.with({ tags: ['v2'] })
    expect(tagged.taskName).toBe('summarize')
    expect(tagged.label).toBe('summarize')
  })

  it('with append: true extends scorers, tags and attributes instead of replacing them', async () => {
    const one = scorer('one', () => 1)
    const two = scorer('two', () => 0.5)
    const base = evalTask(
      { name: 'base', scorers: [one], tags: ['a'], attributes: { model: 'm1' } },
      async (x: number) => x,
    )
    const extended = base.with({ append: true, scorers: [two], tags: ['b'], attributes: { temperature: 0 } })
    const span = await extended.run(1)
    expect(Object.keys(span.metrics).sort()).toEqual(['one', 'two'])
    expect(span.tags).toEqual(['a', 'b'])
    expect(extended.options.attributes).toEqual({ model: 'm1', temperature: 0 })

    const replaced = base.with({ scorers: [two], tags: ['b'] })
    const replacedSpan = await replaced.run(1)
    expect(Object.keys(replacedSpan.metrics)).toEqual(['two'])
    expect(replacedSpan.tags).toEqual(['b'])
  })

  it('rejects unknown options with a TypeError naming them', () => {
    const base = evalTask(async function base() {
      return 1
    })
    expect(() => base.with({ nope: 1 } as never)).toThrow(/unknown option "nope"/)
  })
})
