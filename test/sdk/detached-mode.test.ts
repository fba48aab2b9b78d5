/**
 * Detached mode: outside any run, tasks still execute, time, score and keep their metrics locally;
 * nothing is mirrored and nothing throws.
 */
import { describe, expect, it } from 'vitest'
import {
  currentRun,
  evalTask,
  logInput,
  logMetric,
  logMetrics,
  logOutput,
  logParam,
  logParams,
  scorer,
  tag,
  taskSpan,
} from '../../src/index.js'
import { runtime } from '../../src/runtime.js'

describe('detached mode (no run)', () => {
  it('there is no current run', () => {
    expect(runtime.fileRun).toBeUndefined()
    expect(currentRun()).toBeUndefined()
  })

  it('tasks execute, time and return their output', async () => {
    const task = evalTask(async function detached(x: number) {
      return x + 1
    })
    const span = await task.run(1)
    expect(span.output).toBe(2)
    expect(span.runId).toBeUndefined()
    expect(typeof span.durationMs).toBe('number')
    expect(span.startedAt).toBeInstanceOf(Date)
    expect(span.inputs).toEqual({ x: 1 })
    expect(span.outputs).toEqual({ output: 2 })
  })

  it('tasks keep their metrics and scores locally', async () => {
    const exact = scorer<number, [number]>('exact', (output, { args }) => output === args[0] * 2)
    const task = evalTask(
      { name: 'double', scorers: [exact], logExecutionMetrics: true },
      async (x: number) => {
        logMetric('calls', 1, { mode: 'count' })
        logMetrics({ a: 1, b: false })
        return x * 2
      },
    )
    const span = await task.run(3)
    expect(span.metrics.exact?.[0]).toMatchObject({ value: 1, source: 'scorer' })
    expect(span.metrics.calls?.[0]).toMatchObject({ value: 1, mode: 'count' })
    expect(Object.keys(span.metrics).sort()).toEqual(['a', 'b', 'calls', 'exact'])
    expect(span.averageMetric('exact')).toBe(1)
  })

  it('asserted scores still fail the task', async () => {
    const never = scorer('never', () => false)
    const task = evalTask({ name: 'asserted', scorers: [never], assertScores: true }, async () => 1)
    await expect(task()).rejects.toThrow(/failed its asserted scores: never = 0/)
  })

  it('every call form works', async () => {
    const task = evalTask(async function form(x: number) {
      if (x < 0) throw new Error('negative')
      return x
    })
    await expect(task.map([1, 2])).resolves.toEqual([1, 2])
    await expect(task.tryMap([1, -1])).resolves.toEqual([1])
    await expect(task.many(2, 5)).resolves.toEqual([5, 5])
    await expect(task.retry(2, 1)).resolves.toBe(1)
    await expect(task.try(-1)).resolves.toBeUndefined()
    const streamed: number[] = []
    for await (const span of task.streamMap([3])) streamed.push(span.output as number)
    expect(streamed).toEqual([3])
  })

  it('parents and children are still tracked', async () => {
    const inner = evalTask(async function inner() {
      return 1
    })
    const outer = evalTask(async function outer() {
      return inner()
    })
    const span = await outer.run()
    expect(span.children[0]?.parentId).toBe(span.spanId)
  })

  it('logging outside any task does not throw', async () => {
    expect(() => logMetric('free', 1)).not.toThrow()
    expect(() => logMetric('free', 1, { to: 'run' })).not.toThrow()
    expect(() => logInput('in', { any: 'thing' })).not.toThrow()
    expect(() => logOutput('out', 1n)).not.toThrow()
    expect(() => logParam('p', 1)).not.toThrow()
    expect(() => logParams({ q: 2 })).not.toThrow()
    expect(() => tag('t')).not.toThrow()
    await expect(taskSpan('block', async (span) => span.kind)).resolves.toBe('span')
  })
})
