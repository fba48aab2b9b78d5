/**
 * The worker side of recording: a run opened with a spool writes versioned NDJSON records — run events,
 * spans with their parents, task-level metrics, run-level metrics, objects (once per hash) and task_io.
 */
import { describe, expect, it } from 'vitest'
import { evalTask, logMetric, logParam, scorer, tag, taskSpan } from '../../src/index.js'
import { runtime } from '../../src/runtime.js'
import { SPOOL_FORMAT_VERSION } from '../../src/shared/spool/format.js'
import { withSpoolRun } from './helpers.js'

const quality = scorer('quality', (output: string) => (output.length > 3 ? 1 : 0))

const tokenize = evalTask(async function tokenize(text: string) {
  const tokens = text.split(' ')
  logMetric('token_count', tokens.length, { mode: 'sum' })
  return tokens
})

const summarize = evalTask(
  { name: 'Summarize Doc', scorers: [quality], tags: ['v2'] },
  async (doc: string) => {
    const tokens = await tokenize(doc)
    return tokens.slice(0, 2).join(' ')
  },
)

describe('spool records', () => {
  it('a task run in a recorded run writes spans, metrics, run_metrics, objects and task_io', async () => {
    const { result, spool, run } = await withSpoolRun(async () => {
      logParam('model', 'm1')
      tag('nightly')
      const outer = await taskSpan('pipeline', async () => summarize.run('the quick brown fox'))
      return outer
    })
    const outer = result
    const inner = outer.children[0]
    expect(inner).toBeDefined()

    // run.ndjson: start (versioned), param, tag, end
    expect(spool.run.map((event) => event.type)).toEqual(['start', 'param', 'tag', 'end'])
    expect(spool.run[0]).toMatchObject({
      type: 'start',
      v: SPOOL_FORMAT_VERSION,
      run_id: run.id,
      session_id: run.sessionId,
      project: 'sdk-tests',
      name: 'spool.eval.ts',
      pid: process.pid,
    })
    expect(spool.run[1]).toEqual({ type: 'param', key: 'model', value: '"m1"' })
    expect(spool.run[2]).toEqual({ type: 'tag', tags: ['nightly'] })
    expect(spool.run[3]).toMatchObject({ type: 'end', status: 'passed' })

    // span records: every span once, with parent ids, kinds, labels and tags
    const byName = new Map(spool.spans.map((span) => [span.name, span]))
    expect(spool.spans).toHaveLength(3)
    const pipeline = byName.get('pipeline')
    const summarizeRecord = byName.get('Summarize Doc')
    const tokenizeRecord = byName.get('tokenize')
    expect(pipeline).toMatchObject({
      kind: 'span',
      label: 'pipeline',
      parent_id: null,
      status: 'ok',
      error: null,
    })
    expect(summarizeRecord).toMatchObject({
      span_id: outer.spanId,
      parent_id: pipeline?.span_id,
      kind: 'task',
      label: 'summarize_doc',
      tags: ['v2'],
      status: 'ok',
    })
    expect(tokenizeRecord).toMatchObject({
      span_id: inner?.spanId,
      parent_id: outer.spanId,
      label: 'tokenize',
    })
    expect(new Set(spool.spans.map((span) => span.trace_id)).size).toBe(1)
    for (const span of spool.spans) {
      expect(Number.isInteger(span.started_at)).toBe(true)
      expect(span.duration_ms).toBeGreaterThanOrEqual(0)
    }

    // metric records: task-level points with their source
    expect(spool.metrics.map((point) => [point.span_id, point.name, point.value, point.source])).toEqual([
      [inner?.spanId, 'token_count', 4, 'log'],
      [outer.spanId, 'quality', 1, 'scorer'],
    ])
    // the scorer metric links to the output it scored
    const outputRow = spool.taskIo.find((row) => row.span_id === outer.spanId && row.direction === 'output')
    expect(spool.metrics[1]?.attributes).toEqual({ origin_hash: outputRow?.hash })

    // run-level points: mirrored keys with mode, value after the mode and raw value
    expect(
      spool.runMetrics.map((point) => [point.span_id, point.name, point.value, point.raw_value, point.mode]),
    ).toEqual([
      [inner?.spanId, 'tokenize.token_count', 4, 4, 'sum'],
      [outer.spanId, 'summarize_doc.quality', 1, 1, null],
    ])

    // task_io.ndjson: inputs and outputs of each task, by object hash
    expect(spool.taskIo.map((row) => [row.span_id, row.direction, row.name])).toEqual([
      [outer.spanId, 'input', 'doc'],
      [inner?.spanId, 'input', 'text'],
      [inner?.spanId, 'output', 'output'],
      [outer.spanId, 'output', 'output'],
    ])
    const objects = new Map(spool.objects.map((object) => [object.hash, object]))
    const docRow = spool.taskIo[0]
    const textRow = spool.taskIo[1]
    // the same string logged by both tasks is one object
    expect(docRow?.hash).toBe(textRow?.hash)
    expect(objects.get(docRow?.hash as string)).toMatchObject({
      value: 'the quick brown fox',
      size_bytes: Buffer.byteLength('"the quick brown fox"'),
      truncated: false,
    })
    expect(objects.get(spool.taskIo[2]?.hash as string)?.value).toEqual(['the', 'quick', 'brown', 'fox'])
    expect(objects.get(outputRow?.hash as string)?.value).toBe('the quick')
  })

  it('equal values share one hash, and a large value is written once however often it is logged', async () => {
    const echo = evalTask(async function echo(value: unknown) {
      return value
    })
    const large = { text: 'x'.repeat(300), n: 1 }
    const { spool } = await withSpoolRun(async () => {
      await echo.map([
        { b: 1, a: 2 },
        { a: 2, b: 1 },
        { a: 2, b: 1 },
      ])
      await echo.map([large, { n: 1, text: 'x'.repeat(300) }, large])
    })
    expect(spool.taskIo).toHaveLength(12)
    const small = spool.taskIo.slice(0, 6)
    expect(new Set(small.map((row) => row.hash)).size).toBe(1)
    // Short values are repeated inline (cheaper than remembering them); ingest stores each hash once.
    expect(
      new Set(spool.objects.filter((o) => o.hash === small[0]?.hash).map((o) => JSON.stringify(o.value))),
    ).toEqual(new Set([JSON.stringify({ a: 2, b: 1 })]))
    const big = spool.taskIo.slice(6)
    expect(new Set(big.map((row) => row.hash)).size).toBe(1)
    expect(spool.objects.filter((o) => o.hash === big[0]?.hash)).toHaveLength(1)
  })

  it('a failed task is written with status error and its message', async () => {
    const failing = evalTask(async function failing() {
      throw new TypeError('bad input')
    })
    const { spool } = await withSpoolRun(async () => {
      await failing.try()
      await evalTask({ name: 'thrower' }, async () => {
        throw 'text'
      }).try()
    })
    expect(spool.spans.map((span) => [span.name, span.status, span.error])).toEqual([
      ['failing', 'error', 'TypeError: bad input'],
      ['thrower', 'error', 'ThrownValueError: task "thrower" threw a non-Error value: "text"'],
    ])
  })

  it('values that cannot be JSON are written as canonical objects and truncated at the run limit', async () => {
    const circular: Record<string, unknown> = { id: 1 }
    circular.self = circular
    const { spool } = await withSpoolRun(
      async () => {
        await taskSpan('values', async (span) => {
          span.logInput('circular', circular)
          span.logInput('big', 'z'.repeat(5000))
        })
      },
      { maxObjectBytes: 1000 },
    )
    const byName = new Map(spool.taskIo.map((row) => [row.name, row.hash]))
    const objects = new Map(spool.objects.map((object) => [object.hash, object]))
    expect(objects.get(byName.get('circular') as string)?.value).toEqual({ id: 1, self: { $ref: '$' } })
    const big = objects.get(byName.get('big') as string)
    expect(big).toMatchObject({ truncated: true, size_bytes: 5002 })
  })

  it('logExecutionMetrics writes exec points with source exec', async () => {
    const counted = evalTask({ name: 'counted', logExecutionMetrics: true }, async () => 1)
    const { spool } = await withSpoolRun(async () => {
      await counted()
    })
    expect(spool.metrics.map((point) => [point.name, point.source])).toEqual([
      ['exec.count', 'exec'],
      ['exec.success_rate', 'exec'],
    ])
    expect(spool.runMetrics.map((point) => [point.name, point.mode])).toEqual([
      ['counted.exec.count', 'count'],
      ['counted.exec.success_rate', 'avg'],
    ])
  })

  it('the file run is reset after the test and tasks are detached again', async () => {
    await withSpoolRun(async () => {})
    expect(runtime.fileRun).toBeUndefined()
    const span = await tokenize.run('a')
    expect(span.runId).toBeUndefined()
  })
})
