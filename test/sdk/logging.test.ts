/**
 * Logging from anywhere (API.md §4): inputs, outputs, parameters and tags go to the innermost task, else
 * the run; values of any shape are accepted.
 */
import { describe, expect, it } from 'vitest'
import {
  currentRun,
  evalTask,
  logInput,
  logInputs,
  logOutput,
  logOutputs,
  logParam,
  logParams,
  tag,
  taskSpan,
  withRun,
} from '../../src/index.js'
import { withSpoolRun } from './helpers.js'

describe('logInput / logOutput', () => {
  it('go to the innermost task', async () => {
    const inner = evalTask({ name: 'inner', logInputs: false, logOutput: false }, async () => {
      logInput('prompt', 'p')
      logOutput('completion', 'c')
      return 1
    })
    const outer = evalTask({ name: 'outer', logInputs: false, logOutput: false }, async () => {
      logInput('doc', 'd')
      await inner()
      logOutput('summary', 's')
      return 1
    })
    const span = await outer.run()
    expect(span.inputs).toEqual({ doc: 'd' })
    expect(span.outputs).toEqual({ summary: 's' })
    expect(span.children[0]?.inputs).toEqual({ prompt: 'p' })
    expect(span.children[0]?.outputs).toEqual({ completion: 'c' })
  })

  it('logInputs / logOutputs log every entry of a record', async () => {
    const span = await taskSpan('records', async (span) => {
      logInputs({ a: 1, b: 'two' })
      logOutputs({ c: [3] })
      return span
    })
    expect(span.inputs).toEqual({ a: 1, b: 'two' })
    expect(span.outputs).toEqual({ c: [3] })
  })

  it("with `to: 'run'` they skip the task and are recorded on the run (span_id null)", async () => {
    const { result: span, spool } = await withSpoolRun(async () =>
      taskSpan('block', async (span) => {
        logInput('dataset', 'v1', { to: 'run' })
        logOutput('report', 'ok', { to: 'run' })
        return span
      }),
    )
    expect(span.inputs).toEqual({})
    expect(span.outputs).toEqual({})
    const onRun = spool.taskIo.filter((row) => row.span_id === null)
    expect(onRun.map((row) => [row.direction, row.name])).toEqual([
      ['input', 'dataset'],
      ['output', 'report'],
    ])
  })

  it('outside any task they are recorded on the run', async () => {
    const { spool } = await withSpoolRun(async () => {
      logInput('config', { k: 1 })
    })
    expect(spool.taskIo).toEqual([
      expect.objectContaining({ span_id: null, direction: 'input', name: 'config' }),
    ])
  })

  it('accept values of any shape without throwing (circular, BigInt, Map, functions, symbols)', async () => {
    const circular: Record<string, unknown> = { name: 'loop' }
    circular.self = circular
    const values = {
      circular,
      big: 10n ** 30n,
      map: new Map([['k', new Set([1])]]),
      fn: () => 1,
      sym: Symbol('s'),
      nothing: undefined,
      nan: Number.NaN,
    }
    const { result: span, spool } = await withSpoolRun(async () =>
      taskSpan('anything', async (span) => {
        logInputs(values)
        return span
      }),
    )
    expect(span.inputs).toEqual(values)
    expect(spool.taskIo).toHaveLength(Object.keys(values).length)
    expect(spool.objects.length).toBeGreaterThan(0)
  })

  it('an empty or non-string name throws a TypeError', async () => {
    await taskSpan('names', async () => {
      expect(() => logInput('', 1)).toThrow(/non-empty string name/)
      expect(() => logOutput(undefined as unknown as string, 1)).toThrow(TypeError)
    })
  })
})

describe('logParam / logParams / tag', () => {
  it('logParam and logParams set run parameters (the latest value of a key wins)', async () => {
    const params = await withRun({ name: 'params', params: { model: 'a' } }, async (run) => {
      logParam('model', 'b')
      logParams({ temperature: 0.2, top_p: 1 })
      return { ...run.params }
    })
    expect(params).toEqual({ model: 'b', temperature: 0.2, top_p: 1 })
  })

  it('logParam inside a task still attaches to the run', async () => {
    const task = evalTask(async function configure() {
      logParam('prompt_version', 3)
      return 1
    })
    const params = await withRun({ name: 'params' }, async (run) => {
      await task()
      return { ...run.params }
    })
    expect(params).toEqual({ prompt_version: 3 })
  })

  it('tag() inside a task tags the task; outside tasks it tags the run', async () => {
    const task = evalTask({ name: 'tagged', tags: ['base'] }, async () => {
      tag('extra', 'base')
      return 1
    })
    const { span, runTags } = await withRun({ name: 'tags', tags: ['nightly'] }, async (run) => {
      tag('manual')
      return { span: await task.run(), runTags: [...run.tags] }
    })
    expect(span.tags).toEqual(['base', 'extra'])
    expect(runTags).toEqual(['nightly', 'manual'])
  })

  it('tag() rejects an empty tag with a TypeError', () => {
    expect(() => tag('')).toThrow(/tag must be a non-empty string/)
  })

  it('outside any run, logParam, logParams and tag do nothing and do not throw', () => {
    expect(currentRun()).toBeUndefined()
    expect(() => logParam('k', 1)).not.toThrow()
    expect(() => logParams({ k: 1 })).not.toThrow()
    expect(() => tag('t')).not.toThrow()
  })
})
