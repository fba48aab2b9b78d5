/**
 * Metrics on task spans and their mirror on the run (`<label>.<name>`), execution metrics, and the
 * validation of metric values.
 */
import { describe, expect, it } from 'vitest'
import { evalTask, logMetric, logMetrics, scorer, taskSpan, withRun } from '../../src/index.js'
import { runSeries, withSpoolRun } from './helpers.js'

const tokenize = evalTask(async function tokenize(text: string) {
  const tokens = text.split(' ')
  logMetric('token_count', tokens.length)
  return tokens
})

describe('mirroring', () => {
  it('a metric logged in task `tokenize` is mirrored as `tokenize.token_count`', async () => {
    const { span, summary } = await withRun({ name: 'mirror' }, async (run) => {
      const span = await tokenize.run('a b c')
      return { span, summary: run.metricSummary() }
    })
    expect(span.metrics.token_count?.map((metric) => metric.value)).toEqual([3])
    expect(Object.keys(span.metrics)).toEqual(['token_count'])
    expect(Object.keys(summary)).toEqual(['tokenize.token_count'])
    expect(summary['tokenize.token_count']).toMatchObject({ count: 1, avg: 3, min: 3, max: 3, last: 3 })
  })

  it('the run-level series collects the points of every call of the task', async () => {
    const summary = await withRun({ name: 'mirror' }, async (run) => {
      await tokenize.map(['a', 'a b', 'a b c'])
      return run.metricSummary()
    })
    expect(summary['tokenize.token_count']).toMatchObject({ count: 3, avg: 2, min: 1, max: 3 })
  })

  it('a nested task mirrors with its own label only, and its parent gets no copy', async () => {
    const pipeline = evalTask(async function pipeline(text: string) {
      await tokenize(text)
      return text
    })
    const { span, summary } = await withRun({ name: 'nested' }, async (run) => ({
      span: await pipeline.run('a b'),
      summary: run.metricSummary(),
    }))
    expect(Object.keys(summary)).toEqual(['tokenize.token_count'])
    expect(span.metrics).toEqual({})
    expect(span.children[0]?.metrics.token_count?.[0]?.value).toBe(2)
  })

  it('a metric logged in a taskSpan is mirrored with the span label', async () => {
    const summary = await withRun({ name: 'span' }, async (run) => {
      await taskSpan('Load Data', async () => logMetric('rows', 10))
      return run.metricSummary()
    })
    expect(Object.keys(summary)).toEqual(['load_data.rows'])
  })

  it("`to: 'run'` logs on the run unprefixed and not on the task", async () => {
    const task = evalTask(async function counter() {
      logMetric('calls', 1, { to: 'run' })
      return 1
    })
    const { span, summary } = await withRun({ name: 'to-run' }, async (run) => ({
      span: await task.run(),
      summary: run.metricSummary(),
    }))
    expect(Object.keys(summary)).toEqual(['calls'])
    expect(span.metrics).toEqual({})
  })

  it("`span.logMetric(…, { to: 'run' })` logs on the run unprefixed", async () => {
    const summary = await withRun({ name: 'to-run' }, async (run) => {
      await taskSpan('outer', async (span) => {
        span.logMetric('direct', 2, { to: 'run' })
        expect(span.metrics).toEqual({})
      })
      return run.metricSummary()
    })
    expect(Object.keys(summary)).toEqual(['direct'])
  })

  it('a metric logged outside any task goes to the run unprefixed', async () => {
    const summary = await withRun({ name: 'outside' }, async (run) => {
      logMetric('setup_ms', 12)
      return run.metricSummary()
    })
    expect(summary).toEqual({ setup_ms: { count: 1, avg: 12, min: 12, max: 12, last: 12 } })
  })

  it('booleans are stored as 1 and 0', async () => {
    const task = evalTask(async function judge(ok: boolean) {
      logMetric('correct', ok)
      return ok
    })
    const spans = await task.mapRun([true, false])
    expect(spans.map((span) => span.metrics.correct?.[0]?.value)).toEqual([1, 0])
  })

  it('keeps the step, source and attributes of each point on the span', async () => {
    const task = evalTask(async function stepped() {
      logMetric('loss', 0.5, { step: 3, attributes: { phase: 'train' } })
      return 1
    })
    const span = await task.run()
    expect(span.metrics.loss?.[0]).toMatchObject({
      name: 'loss',
      value: 0.5,
      step: 3,
      source: 'log',
      attributes: { phase: 'train' },
    })
  })

  it('scorer metrics are mirrored as `<label>.<scorer>`', async () => {
    const quality = scorer('Quality', (output: string) => output.length / 10)
    const summarize = evalTask({ name: 'summarize', scorers: [quality] }, async (doc: string) => doc)
    const { span, summary } = await withRun({ name: 'scores' }, async (run) => ({
      span: await summarize.run('hello'),
      summary: run.metricSummary(),
    }))
    expect(span.metrics.quality?.[0]).toMatchObject({ value: 0.5, source: 'scorer' })
    expect(Object.keys(summary)).toEqual(['summarize.quality'])
  })

  it('metric names that are Object.prototype keys are kept like any other', async () => {
    const task = evalTask(async function odd() {
      logMetric('constructor', 1)
      logMetric('toString', 2)
      logMetric('__proto__', 3)
      logMetric('hasOwnProperty', 4)
      return 1
    })
    const { span, summary } = await withRun({ name: 'odd' }, async (run) => ({
      span: await task.run(),
      summary: run.metricSummary(),
    }))
    expect(Object.keys(span.metrics).sort()).toEqual([
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'toString',
    ])
    expect(span.averageMetric('constructor')).toBe(1)
    expect(span.averageMetric('__proto__')).toBe(3)
    expect(span.averageMetric('valueOf')).toBeUndefined()
    expect(span.averageMetric()).toBe(2.5)
    expect(Object.keys(summary).sort()).toEqual([
      'odd.__proto__',
      'odd.constructor',
      'odd.hasOwnProperty',
      'odd.toString',
    ])
  })
})

describe('logExecutionMetrics', () => {
  it('logs `<label>.exec.count` (count) and `<label>.exec.success_rate` (avg) on the run', async () => {
    const task = evalTask({ name: 'Flaky Call', logExecutionMetrics: true }, async (ok: boolean) => {
      if (!ok) throw new Error('failed')
      return ok
    })
    const { spool } = await withSpoolRun(async () => {
      await task.try(true)
      await task.try(false)
      await task.try(true)
    })
    expect(runSeries(spool, 'flaky_call.exec.count')).toEqual([
      [1, 1],
      [2, 1],
      [3, 1],
    ])
    const rates = runSeries(spool, 'flaky_call.exec.success_rate')
    expect(rates.map(([, raw]) => raw)).toEqual([1, 0, 1])
    expect(rates.map(([value]) => value)).toEqual([1, 0.5, 2 / 3])
    expect(spool.runMetrics.filter((point) => point.name.endsWith('.exec.count')).map((p) => p.mode)).toEqual(
      ['count', 'count', 'count'],
    )
    expect(
      spool.runMetrics.filter((point) => point.name.endsWith('.exec.success_rate')).map((p) => p.mode),
    ).toEqual(['avg', 'avg', 'avg'])
    expect(new Set(spool.metrics.map((point) => point.source))).toEqual(new Set(['exec']))
  })

  it('keeps execution metrics out of span.metrics, so they do not rank spans', async () => {
    const task = evalTask({ name: 'exec', logExecutionMetrics: true }, async () => 1)
    const span = await task.run()
    expect(span.metrics).toEqual({})
    expect(span.averageMetric()).toBeUndefined()
  })

  it('logs nothing about execution without the option', async () => {
    const task = evalTask(async function quiet() {
      return 1
    })
    const summary = await withRun({ name: 'quiet' }, async (run) => {
      await task()
      return run.metricSummary()
    })
    expect(summary).toEqual({})
  })
})

describe('metric values', () => {
  const bad: [string, unknown][] = [
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a string', '0.5'],
    ['null', null],
    ['undefined', undefined],
    ['a bigint', 1n],
    ['an object', { score: 1 }],
  ]

  it.each(bad)(
    '%s as a metric value throws a TypeError naming the metric, and nothing is written',
    async (_, value) => {
      const task = evalTask(async function validate() {
        expect(() => logMetric('accuracy', value as number)).toThrow(TypeError)
        expect(() => logMetric('accuracy', value as number)).toThrow(/metric "accuracy"/)
        return 1
      })
      const { span, summary } = await withRun({ name: 'bad' }, async (run) => {
        expect(() => logMetric('outside', value as number)).toThrow(/metric "outside"/)
        return { span: await task.run(), summary: run.metricSummary() }
      })
      expect(span.metrics).toEqual({})
      expect(summary).toEqual({})
    },
  )

  it('span.logMetric validates the same way', async () => {
    await taskSpan('direct', async (span) => {
      expect(() => span.logMetric('latency', Number.NaN)).toThrow(/metric "latency" must be a finite number/)
      expect(() => span.logMetric('latency', '3' as unknown as number)).toThrow(TypeError)
      expect(span.metrics).toEqual({})
    })
  })

  it('logMetrics with one bad value logs none of them', async () => {
    const task = evalTask(async function batch() {
      expect(() => logMetrics({ good: 1, also_good: true, bad: Number.NaN })).toThrow(/metric "bad"/)
      return 1
    })
    const { span, spool } = await withSpoolRun(async () => ({ span: await task.run() })).then(
      ({ result, spool }) => ({ span: result.span, spool }),
    )
    expect(span.metrics).toEqual({})
    expect(spool.metrics).toEqual([])
    expect(spool.runMetrics).toEqual([])
  })

  it('logMetrics logs every value with the same options', async () => {
    const task = evalTask(async function batch() {
      logMetrics({ a: 1, b: 2 }, { step: 4 })
      return 1
    })
    const span = await task.run()
    expect(span.metrics.a?.[0]).toMatchObject({ value: 1, step: 4 })
    expect(span.metrics.b?.[0]).toMatchObject({ value: 2, step: 4 })
  })

  it('an unknown mode, a bad step or an empty name throws a TypeError and writes nothing', async () => {
    await taskSpan('checks', async (span) => {
      expect(() => logMetric('m', 1, { mode: 'median' as never })).toThrow(/metric "m" has mode "median"/)
      expect(() => logMetric('m', 1, { step: Number.NaN })).toThrow(/metric "m" has step NaN/)
      expect(() => logMetric('', 1)).toThrow(/metric name must be a non-empty string/)
      expect(() => logMetrics({ a: 1 }, { mode: 'median' as never })).toThrow(TypeError)
      expect(span.metrics).toEqual({})
    })
  })

  it('a metric logged outside any run and task is validated and otherwise dropped', () => {
    expect(logMetric('free', 1)).toBeUndefined()
    expect(() => logMetric('free', Number.NaN)).toThrow(TypeError)
  })
})
