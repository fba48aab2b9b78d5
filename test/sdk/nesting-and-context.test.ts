/**
 * Parents and children: tasks (and taskSpans) called inside a task are its children, and the context
 * that says so flows through async boundaries — parallel `map` never mixes up parents.
 */
import { describe, expect, it } from 'vitest'
import { currentTask, evalTask, logMetric, type TaskSpan, taskSpan } from '../../src/index.js'
import { delay } from './helpers.js'

const randomDelay = (): Promise<void> => delay(Math.floor(Math.random() * 8))

const step = evalTask(async function step(id: number) {
  await randomDelay()
  logMetric('id', id)
  await randomDelay()
  return id
})

const handle = evalTask(async function handle(id: number) {
  await randomDelay()
  const first = await step(id)
  await randomDelay()
  const second = await step(id * 100)
  return first + second
})

describe('parents and children', () => {
  it('a task called inside a task is its child: parentId, children, one trace', async () => {
    const span = await handle.run(1)
    expect(span.parentId).toBeUndefined()
    expect(span.children.map((child) => child.name)).toEqual(['step', 'step'])
    for (const child of span.children) {
      expect(child.parentId).toBe(span.spanId)
      expect(child.traceId).toBe(span.traceId)
      expect(child.children).toEqual([])
    }
    expect(span.children.map((child) => child.output)).toEqual([1, 100])
  })

  it('children are listed in start order, failed ones included', async () => {
    const failing = evalTask(async function failing() {
      throw new Error('no')
    })
    const outer = evalTask(async function outer() {
      await step(1)
      await failing.try()
      await step(2)
      return 0
    })
    const span = await outer.run()
    expect(span.children.map((child) => [child.name, child.failed])).toEqual([
      ['step', false],
      ['failing', true],
      ['step', false],
    ])
  })

  it('parallel map with random delays gives each child the right parent', async () => {
    const ids = Array.from({ length: 40 }, (_, i) => i + 1)
    const spans = await handle.mapRun(ids, { concurrency: 10 })
    expect(spans.map((span) => span.output)).toEqual(ids.map((id) => id + id * 100))
    for (const [index, span] of spans.entries()) {
      const id = ids[index] as number
      expect(span.inputs).toEqual({ id })
      expect(span.children.map((child) => child.inputs.id)).toEqual([id, id * 100])
      expect(span.children.every((child) => child.parentId === span.spanId)).toBe(true)
      expect(span.children.map((child) => child.metrics.id?.[0]?.value)).toEqual([id, id * 100])
    }
    const spanIds = new Set(spans.map((span) => span.spanId))
    expect(spanIds.size).toBe(ids.length)
  })

  it('children started in parallel inside one task (Promise.all) are siblings, not nested', async () => {
    const fanOut = evalTask(async function fanOut(count: number) {
      return Promise.all(Array.from({ length: count }, (_, i) => step(i)))
    })
    const span = await fanOut.run(6)
    expect(span.children).toHaveLength(6)
    for (const child of span.children) {
      expect(child.parentId).toBe(span.spanId)
      expect(child.children).toEqual([])
    }
  })

  it('allTasks lists every task below a span, depth first, through taskSpans, excluding itself', async () => {
    const root = await taskSpan('root', async (span) => {
      await handle(1)
      await taskSpan('group', async () => {
        await step(3)
      })
      return span
    })
    expect(root.kind).toBe('span')
    expect(root.allTasks.map((task) => `${task.name}:${String(task.inputs.id)}`)).toEqual([
      'handle:1',
      'step:1',
      'step:100',
      'step:3',
    ])
    expect(root.allTasks.every((task) => task.kind === 'task')).toBe(true)
    expect(root.children.map((child) => child.kind)).toEqual(['task', 'span'])
  })

  it('taskSpan nests: a taskSpan in a taskSpan in a task', async () => {
    let inner: TaskSpan | undefined
    let middle: TaskSpan | undefined
    const outer = evalTask(async function outer() {
      await taskSpan('middle', async (m) => {
        middle = m
        await taskSpan('inner', async (i) => {
          inner = i
        })
      })
      return 1
    })
    const span = await outer.run()
    expect(middle?.parentId).toBe(span.spanId)
    expect(inner?.parentId).toBe(middle?.spanId)
    expect(span.children).toEqual([middle])
    expect(middle?.children).toEqual([inner])
    expect(span.allTasks).toEqual([])
  })

  it('parents survive timers and other async boundaries', async () => {
    const viaTimer = evalTask(async function viaTimer() {
      await new Promise<void>((resolve) => setTimeout(() => void step(7).then(() => resolve()), 1))
      await new Promise<void>((resolve) => setImmediate(resolve))
      await step(8)
      return 0
    })
    const span = await viaTimer.run()
    expect(span.children.map((child) => child.inputs.id)).toEqual([7, 8])
    expect(span.children.every((child) => child.parentId === span.spanId)).toBe(true)
  })
})

describe('currentTask', () => {
  it('is the innermost task or taskSpan of the calling code, and undefined outside', async () => {
    expect(currentTask()).toBeUndefined()
    const names: (string | undefined)[] = []
    const outer = evalTask(async function outer() {
      names.push(currentTask()?.name)
      await taskSpan('block', async () => {
        names.push(currentTask()?.name)
        await step(1)
        names.push(currentTask()?.name)
      })
      names.push(currentTask()?.name)
      return 1
    })
    await outer()
    expect(names).toEqual(['outer', 'block', 'block', 'outer'])
    expect(currentTask()).toBeUndefined()
  })

  it('does not leak a finished task into the code that runs after it', async () => {
    const span = await step.run(1)
    expect(currentTask()).toBeUndefined()
    const after = await step.run(2)
    expect(after.parentId).toBeUndefined()
    expect(span.children).toEqual([])
  })

  it('a task started inside a task but finished after it still names it as parent', async () => {
    let pending: Promise<number> | undefined
    const outer = evalTask(async function outer() {
      pending = evalTask(async function late() {
        await delay(10)
        return 1
      })()
      return 0
    })
    const span = await outer.run()
    await pending
    expect(span.children.map((child) => child.name)).toEqual(['late'])
    expect(span.children[0]?.parentId).toBe(span.spanId)
  })
})
