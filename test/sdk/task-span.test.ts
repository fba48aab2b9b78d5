/**
 * `TaskSpan` (API.md §3) and `taskSpan`.
 */
import { describe, expect, it } from 'vitest'
import {
  evalTask,
  logInput,
  logMetric,
  logOutput,
  TaskSpan,
  ThrownValueError,
  taskSpan,
  withRun,
} from '../../src/index.js'

describe('TaskSpan fields', () => {
  it('a task span carries name, label, tags, ids, kind, output, inputs, outputs, metrics, timing and status', async () => {
    const summarize = evalTask(
      { name: 'Summarize Doc', tags: ['v2'], attributes: { model: 'gpt-x' } },
      async function summarize(doc: string) {
        logMetric('words', doc.split(' ').length)
        return doc.toUpperCase()
      },
    )
    const before = Date.now()
    const span = await summarize.run('a b')
    expect(span).toBeInstanceOf(TaskSpan)
    expect(span.name).toBe('Summarize Doc')
    expect(span.label).toBe('summarize_doc')
    expect(span.tags).toEqual(['v2'])
    expect(span.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(span.traceId).toMatch(/^[0-9a-f]{32}$/)
    expect(span.runId).toBeUndefined()
    expect(span.parentId).toBeUndefined()
    expect(span.kind).toBe('task')
    expect(span.output).toBe('A B')
    expect(span.inputs).toEqual({ doc: 'a b' })
    expect(span.outputs).toEqual({ output: 'A B' })
    expect(Object.keys(span.metrics)).toEqual(['words'])
    expect(span.startedAt).toBeInstanceOf(Date)
    expect(span.startedAt.getTime()).toBeGreaterThanOrEqual(before - 1)
    expect(typeof span.durationMs).toBe('number')
    expect(span.durationMs).toBeGreaterThanOrEqual(0)
    expect(span.failed).toBe(false)
    expect(span.error).toBeUndefined()
    expect(span.children).toEqual([])
    expect(span.allTasks).toEqual([])
  })

  it('a span recorded in a run carries the run id', async () => {
    const task = evalTask(async function inRun() {
      return 1
    })
    const { span, runId } = await withRun({ name: 'ids' }, async (run) => ({
      span: await task.run(),
      runId: run.id,
    }))
    expect(span.runId).toBe(runId)
  })

  it('every call gets its own span id', async () => {
    const task = evalTask(async function same() {
      return 1
    })
    const spans = await task.manyRun(5)
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(5)
  })

  it('a failed span has failed, error and a duration, and no output', async () => {
    const task = evalTask(async function broken() {
      throw new RangeError('out of range')
    })
    const span = await task.runAlways()
    expect(span.failed).toBe(true)
    expect(span.error).toBeInstanceOf(RangeError)
    expect(span.output).toBeUndefined()
    expect(span.outputs).toEqual({})
    expect(typeof span.durationMs).toBe('number')
  })
})

describe('TaskSpan methods', () => {
  it('logInput, logOutput and logMetric record on the span', async () => {
    const span = await taskSpan('manual', async (span) => {
      span.logInput('path', '/tmp/x')
      span.logOutput('rows', 3)
      const metric = span.logMetric('rows', 3)
      expect(metric).toMatchObject({ name: 'rows', value: 3, source: 'log' })
      return span
    })
    expect(span.inputs).toEqual({ path: '/tmp/x' })
    expect(span.outputs).toEqual({ rows: 3 })
    expect(span.metrics.rows?.map((metric) => metric.value)).toEqual([3])
  })

  it('a later logInput of the same name replaces the earlier value', async () => {
    const span = await taskSpan('replace', async (span) => {
      span.logInput('x', 1)
      span.logInput('x', 2)
      return span
    })
    expect(span.inputs).toEqual({ x: 2 })
  })

  it('input and output names that are Object.prototype keys are kept as own entries', async () => {
    const span = await taskSpan('odd names', async (span) => {
      span.logInput('__proto__', { polluted: true })
      span.logInput('constructor', 'c')
      span.logOutput('__proto__', 1)
      return span
    })
    expect(Object.getPrototypeOf(span.inputs)).toBe(Object.prototype)
    expect(Object.keys(span.inputs).sort()).toEqual(['__proto__', 'constructor'])
    expect(Object.getOwnPropertyDescriptor(span.inputs, '__proto__')?.value).toEqual({ polluted: true })
    expect((span.inputs as { polluted?: unknown }).polluted).toBeUndefined()
    expect(Object.keys(span.outputs)).toEqual(['__proto__'])
  })

  it('averageMetric() on a span without metrics is undefined', async () => {
    const span = await evalTask(async function plain() {
      return 1
    }).run()
    expect(span.metrics).toEqual({})
    expect(span.averageMetric()).toBeUndefined()
    expect(span.averageMetric('anything')).toBeUndefined()
  })

  it('averageMetric(name) is the mean over all values of that metric', async () => {
    const span = await taskSpan('avg', async (span) => {
      span.logMetric('score', 1)
      span.logMetric('score', 0)
      span.logMetric('score', true)
      span.logMetric('other', 10)
      return span
    })
    expect(span.averageMetric('score')).toBeCloseTo(2 / 3)
    expect(span.averageMetric('other')).toBe(10)
    expect(span.averageMetric('missing')).toBeUndefined()
  })

  it('averageMetric() without a name is the mean over every metric value', async () => {
    const span = await taskSpan('avg', async (span) => {
      span.logMetric('a', 1)
      span.logMetric('a', 3)
      span.logMetric('b', 8)
      return span
    })
    expect(span.averageMetric()).toBe(4)
  })
})

describe('taskSpan', () => {
  it('returns what the body returns and records it as a span of kind span', async () => {
    let seen: TaskSpan | undefined
    const result = await taskSpan('load data', async (span) => {
      seen = span
      span.logInput('path', 'data.csv')
      span.logOutput('rows', 42)
      return 42
    })
    expect(result).toBe(42)
    expect(seen?.kind).toBe('span')
    expect(seen?.name).toBe('load data')
    expect(seen?.label).toBe('load_data')
    expect(seen?.output).toBe(42)
    expect(seen?.inputs).toEqual({ path: 'data.csv' })
    expect(seen?.outputs).toEqual({ rows: 42 })
    expect(seen?.failed).toBe(false)
    expect(typeof seen?.durationMs).toBe('number')
  })

  it('accepts label, tags and attributes', async () => {
    const span = await taskSpan(
      'load',
      { label: 'loader', tags: ['io'], attributes: { source: 's3' } },
      async (s) => s,
    )
    expect(span.label).toBe('loader')
    expect(span.tags).toEqual(['io'])
  })

  it('accepts a synchronous body', async () => {
    await expect(taskSpan('sync', () => 5)).resolves.toBe(5)
  })

  it('rejects with the error and marks the span failed when the body throws', async () => {
    let seen: TaskSpan | undefined
    const error = new Error('bad file')
    await expect(
      taskSpan('load', async (span) => {
        seen = span
        throw error
      }),
    ).rejects.toBe(error)
    expect(seen?.failed).toBe(true)
    expect(seen?.error).toBe(error)
  })

  it('a non-Error thrown by the body rejects with a ThrownValueError', async () => {
    const rejection = await taskSpan('load', async () => {
      throw 'nope'
    }).catch((thrown: unknown) => thrown)
    expect(rejection).toBeInstanceOf(ThrownValueError)
    expect((rejection as Error).message).toContain('"nope"')
  })

  it('module-level logInput/logOutput/logMetric inside it go to the taskSpan', async () => {
    const span = await taskSpan('block', async (span) => {
      logInput('q', 'question')
      logOutput('a', 'answer')
      logMetric('m', 1)
      return span
    })
    expect(span.inputs).toEqual({ q: 'question' })
    expect(span.outputs).toEqual({ a: 'answer' })
    expect(span.metrics.m).toHaveLength(1)
  })

  it('rejects a missing body with a TypeError', async () => {
    await expect(taskSpan('nothing', undefined as never)).rejects.toThrow(/needs a function to run/)
  })
})
