/**
 * Metric modes: the run-level point stores the series' aggregate after the value, beside the raw value;
 * the task-level point keeps the raw value. Read back from the run's spool records.
 */
import { describe, expect, it } from 'vitest'
import { evalTask, logMetric, type MetricMode, withRun } from '../../src/index.js'
import { runSeries, withSpoolRun } from './helpers.js'

/** Logs `values` one per call of a task labelled `scores`, with `mode`; returns the run-level points. */
async function seriesOf(values: number[], mode: MetricMode | undefined) {
  const task = evalTask({ name: 'scores' }, async (value: number) => {
    logMetric('value', value, mode === undefined ? {} : { mode })
    return value
  })
  const { result: spans, spool } = await withSpoolRun(async () => {
    const spans = []
    for (const value of values) spans.push(await task.run(value))
    return spans
  })
  return { points: runSeries(spool, 'scores.value'), spans, spool }
}

describe('modes', () => {
  it('sum stores the running sum, correct for negative values: 5, -7, 2 give 5, -2, 0', async () => {
    const { points } = await seriesOf([5, -7, 2], 'sum')
    expect(points).toEqual([
      [5, 5],
      [-2, -7],
      [0, 2],
    ])
  })

  it('avg stores the running mean: 2, 4, 9 give 2, 3, 5', async () => {
    const { points } = await seriesOf([2, 4, 9], 'avg')
    expect(points).toEqual([
      [2, 2],
      [3, 4],
      [5, 9],
    ])
  })

  it('avg over negative values: -4, 2 give -4, -1', async () => {
    const { points } = await seriesOf([-4, 2], 'avg')
    expect(points).toEqual([
      [-4, -4],
      [-1, 2],
    ])
  })

  it('min stores the running minimum: 3, 1, 2, -5 give 3, 1, 1, -5', async () => {
    const { points } = await seriesOf([3, 1, 2, -5], 'min')
    expect(points).toEqual([
      [3, 3],
      [1, 1],
      [1, 2],
      [-5, -5],
    ])
  })

  it('max stores the running maximum: -3, -1, -2, 4 give -3, -1, -1, 4', async () => {
    const { points } = await seriesOf([-3, -1, -2, 4], 'max')
    expect(points).toEqual([
      [-3, -3],
      [-1, -1],
      [-1, -2],
      [4, 4],
    ])
  })

  it('count stores the number of points so far: 7, 0, -1 give 1, 2, 3', async () => {
    const { points } = await seriesOf([7, 0, -1], 'count')
    expect(points).toEqual([
      [1, 7],
      [2, 0],
      [3, -1],
    ])
  })

  it('without a mode the run-level point stores the raw value', async () => {
    const { points, spool } = await seriesOf([1, 5, 3], undefined)
    expect(points).toEqual([
      [1, 1],
      [5, 5],
      [3, 3],
    ])
    expect(spool.runMetrics.map((point) => point.mode)).toEqual([null, null, null])
  })

  it('the run-level points record their mode and the task span they came from', async () => {
    const { spans, spool } = await seriesOf([1, 2], 'sum')
    expect(spool.runMetrics.map((point) => point.mode)).toEqual(['sum', 'sum'])
    expect(spool.runMetrics.map((point) => point.span_id)).toEqual(spans.map((span) => span.spanId))
  })

  it('the task-level point keeps the raw value', async () => {
    const { spans, spool } = await seriesOf([5, -7, 2], 'sum')
    expect(spans.map((span) => span.metrics.value?.[0]?.value)).toEqual([5, -7, 2])
    expect(spans.map((span) => span.metrics.value?.[0]?.mode)).toEqual(['sum', 'sum', 'sum'])
    expect(spool.metrics.map((point) => point.value)).toEqual([5, -7, 2])
  })

  it("each series aggregates on its own: `to: 'run'` sums apart from the task's series", async () => {
    const task = evalTask({ name: 'scores' }, async (value: number) => {
      logMetric('value', value, { mode: 'sum' })
      logMetric('total', value, { mode: 'sum', to: 'run' })
      return value
    })
    const { spool } = await withSpoolRun(async () => {
      await task(1)
      await task(2)
      logMetric('total', 10, { mode: 'sum' })
    })
    expect(runSeries(spool, 'scores.value')).toEqual([
      [1, 1],
      [3, 2],
    ])
    expect(runSeries(spool, 'total')).toEqual([
      [1, 1],
      [3, 2],
      [13, 10],
    ])
  })

  it('a sum over 5, -7, 2 is 0 in the run summary as well', async () => {
    const task = evalTask({ name: 'scores' }, async (value: number) => {
      logMetric('value', value, { mode: 'sum' })
      return value
    })
    const summary = await withRun({ name: 'modes' }, async (run) => {
      for (const value of [5, -7, 2]) await task(value)
      return run.metricSummary()
    })
    expect(summary['scores.value']).toMatchObject({ count: 3, min: -7, max: 5, last: 2 })
    expect(summary['scores.value']?.avg).toBe(0)
  })
})
