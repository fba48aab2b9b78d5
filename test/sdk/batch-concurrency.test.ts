/**
 * Bounded concurrency of the batch forms, measured as the peak number of calls in flight.
 */
import { describe, expect, it } from 'vitest'
import { evalTask, withRun } from '../../src/index.js'
import { delay, InFlight } from './helpers.js'

/** A task whose calls are counted in flight; each call takes a few milliseconds. */
function counted(options: { concurrency?: number } = {}) {
  const inFlight = new InFlight()
  const task = evalTask({ name: 'counted', ...options }, async (n: number) =>
    inFlight.track(async () => {
      await delay(2 + (n % 3))
      return n
    }),
  )
  return { task, inFlight }
}

const range = (count: number): number[] => Array.from({ length: count }, (_, i) => i)

describe('bounded concurrency', () => {
  it('the task option `concurrency` bounds map to that many calls in flight', async () => {
    const { task, inFlight } = counted({ concurrency: 3 })
    await expect(task.map(range(12))).resolves.toEqual(range(12))
    expect(inFlight.peak).toBe(3)
    expect(inFlight.started).toBe(12)
  })

  it('the call option `concurrency` bounds map to that many calls in flight', async () => {
    const { task, inFlight } = counted()
    await task.map(range(10), { concurrency: 2 })
    expect(inFlight.peak).toBe(2)
  })

  it('the call option overrides the task option', async () => {
    const { task, inFlight } = counted({ concurrency: 5 })
    await task.map(range(12), { concurrency: 2 })
    expect(inFlight.peak).toBe(2)

    const wider = counted({ concurrency: 2 })
    await wider.task.map(range(12), { concurrency: 6 })
    expect(wider.inFlight.peak).toBe(6)
  })

  it('without any option, the global default of 16 calls applies', async () => {
    const { task, inFlight } = counted()
    await task.map(range(40))
    expect(inFlight.peak).toBe(16)
    expect(inFlight.started).toBe(40)
  })

  it("the run's concurrency setting (the plugin option) applies when the task and call set none", async () => {
    const { task, inFlight } = counted()
    await withRun({ name: 'concurrency', concurrency: 4 }, async () => {
      await task.map(range(12))
    })
    expect(inFlight.peak).toBe(4)
  })

  it('the task option wins over the run setting', async () => {
    const { task, inFlight } = counted({ concurrency: 2 })
    await withRun({ name: 'concurrency', concurrency: 8 }, async () => {
      await task.map(range(12))
    })
    expect(inFlight.peak).toBe(2)
  })

  it('concurrency 1 runs the calls one after another, in input order', async () => {
    const order: number[] = []
    const inFlight = new InFlight()
    const task = evalTask(async function ordered(n: number) {
      return inFlight.track(async () => {
        order.push(n)
        await delay(1)
        return n
      })
    })
    await task.map([3, 1, 2], { concurrency: 1 })
    expect(order).toEqual([3, 1, 2])
    expect(inFlight.peak).toBe(1)
  })

  it('concurrency Infinity starts every call at once', async () => {
    const { task, inFlight } = counted()
    await task.map(range(30), { concurrency: Number.POSITIVE_INFINITY })
    expect(inFlight.peak).toBe(30)
  })

  it('bounds every batch form: mapRun, tryMap, tryMapRun, many, manyRun, tryMany, topN and streamMap', async () => {
    const forms: [string, (task: ReturnType<typeof counted>['task']) => Promise<unknown>][] = [
      ['mapRun', (task) => task.mapRun(range(9), { concurrency: 3 })],
      ['tryMap', (task) => task.tryMap(range(9), { concurrency: 3 })],
      ['tryMapRun', (task) => task.tryMapRun(range(9), { concurrency: 3 })],
      ['many', (task) => task.many(9, 1)],
      ['manyRun', (task) => task.manyRun(9, 1)],
      ['tryMany', (task) => task.tryMany(9, 1)],
      ['topN', (task) => task.topN(9, 2, 1)],
      [
        'streamMap',
        async (task) => {
          for await (const _ of task.streamMap(range(9), { concurrency: 3 })) {
            // drain
          }
        },
      ],
    ]
    for (const [form, call] of forms) {
      const { task, inFlight } = counted({ concurrency: 3 })
      await call(task)
      expect({ form, peak: inFlight.peak, started: inFlight.started }).toEqual({ form, peak: 3, started: 9 })
    }
  })

  it('keeps the bound when calls fail (tryMap)', async () => {
    const inFlight = new InFlight()
    const task = evalTask({ name: 'flaky', concurrency: 3 }, async (n: number) =>
      inFlight.track(async () => {
        await delay(1 + (n % 2))
        if (n % 2 === 0) throw new Error(`even ${n}`)
        return n
      }),
    )
    await expect(task.tryMap(range(12))).resolves.toEqual([1, 3, 5, 7, 9, 11])
    expect(inFlight.peak).toBe(3)
  })

  it('reads items lazily: never more items pulled than calls started plus the lanes', async () => {
    let pulled = 0
    function* items() {
      for (let i = 0; i < 20; i++) {
        pulled += 1
        yield i
      }
    }
    const inFlight = new InFlight()
    let maxAhead = 0
    const task = evalTask(async function lazy(n: number) {
      return inFlight.track(async () => {
        maxAhead = Math.max(maxAhead, pulled - inFlight.started)
        await delay(1)
        return n
      })
    })
    await task.map(items(), { concurrency: 2 })
    expect(inFlight.peak).toBe(2)
    expect(maxAhead).toBeLessThanOrEqual(2)
  })

  it('rejects a concurrency that is not a positive integer with a TypeError', async () => {
    const { task } = counted()
    await expect(task.map([1], { concurrency: 0 })).rejects.toThrow(/concurrency must be a positive integer/)
    await expect(task.map([1], { concurrency: 1.5 })).rejects.toThrow(TypeError)
    expect(() => evalTask({ name: 'bad', concurrency: 0 }, async () => 1)).toThrow(/option "concurrency"/)
  })
})
