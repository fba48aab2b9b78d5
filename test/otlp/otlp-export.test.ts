/**
 * OTLP export of a real Vitest run: with `OTEL_EXPORTER_OTLP_ENDPOINT` set, every strikes span also goes
 * to the collector (a local receiver here) with its parent link and `strikes.*` attributes; `otlp: false`
 * keeps them home.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js'

describe('an eval run with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  let receiver: OtlpReceiver
  let project: FixtureProject
  let spans: ReceivedSpan[]

  beforeAll(async () => {
    receiver = await startOtlpReceiver()
    project = fixtureProject('otlp')
    const result = await project.vitest(['--reporter=strikes', 'traced'], {
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-token=secret-1',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
        OTEL_SERVICE_NAME: undefined,
        OTEL_SDK_DISABLED: undefined,
        OTEL_TRACES_EXPORTER: undefined,
      },
    })
    if (result.code !== 0) throw new Error(`vitest exited ${result.code}\n${result.stdout}\n${result.stderr}`)
    spans = receiver.spans
  })

  afterAll(async () => {
    await receiver?.close()
  })

  const named = (name: string) => spans.filter((span) => span.name === name)

  test('spans are posted as OTLP/HTTP protobuf (the default protocol) to <endpoint>/v1/traces with the headers of OTEL_EXPORTER_OTLP_HEADERS', () => {
    expect(receiver.requests.length).toBeGreaterThan(0)
    for (const request of receiver.requests) {
      expect(request.path).toBe('/v1/traces')
      expect(request.headers['x-collector-token']).toBe('secret-1')
      expect(request.headers['content-type']).toBe('application/x-protobuf')
      expect(request.protocol).toBe('http/protobuf')
    }
  })

  test('every span of the run arrives once: test cases, tasks, nested tasks and taskSpan blocks', () => {
    expect(spans.map((span) => span.name).sort()).toEqual([
      'Tokenize Text',
      'Tokenize Text',
      'explode',
      'join tokens',
      'join tokens',
      'pipeline',
      'pipeline',
      'traced.eval.ts > failure',
      'traced.eval.ts > pipeline',
    ])
    expect(new Set(spans.map((span) => span.spanId)).size).toBe(spans.length)
    expect(spans.every((span) => span.scope === 'strikes')).toBe(true)
  })

  test('parent links follow the nesting: test case > pipeline > Tokenize Text and join tokens', () => {
    const [testCase] = named('traced.eval.ts > pipeline')
    expect(testCase?.parentSpanId).toBeUndefined()
    const pipelines = named('pipeline')
    for (const pipeline of pipelines) {
      expect(pipeline.parentSpanId).toBe(testCase?.spanId)
      expect(pipeline.traceId).toBe(testCase?.traceId)
      const children = spans.filter((span) => span.parentSpanId === pipeline.spanId).map((span) => span.name)
      expect(children.sort()).toEqual(['Tokenize Text', 'join tokens'])
    }
  })

  test('spans carry the strikes.* attributes, the task attributes and the run identity', () => {
    const [testCase] = named('traced.eval.ts > pipeline')
    const [tokenize] = named('Tokenize Text')
    const [join] = named('join tokens')
    const pipelines = named('pipeline')
    const runId = testCase?.attributes['strikes.run_id']
    expect(runId).toEqual(expect.any(String))
    expect(testCase?.attributes).toMatchObject({
      'strikes.kind': 'test',
      'strikes.label': 'pipeline',
      'vitest.test.name': 'pipeline',
    })
    expect(tokenize?.attributes).toMatchObject({
      'strikes.kind': 'task',
      'strikes.label': 'tokenize_text',
      'strikes.run_id': runId,
      'strikes.session_id': expect.any(String),
      'strikes.tags': ['rules'],
      tokenizer: 'whitespace',
    })
    expect(join?.attributes).toMatchObject({
      'strikes.kind': 'span',
      'strikes.label': 'join_tokens',
      separator: '+',
    })
    expect(pipelines.map((span) => span.attributes['strikes.trial']).sort()).toEqual([0, 1])
  })

  test('tasks, taskSpans and test cases are INTERNAL spans (OTLP kind 1), not SERVER', () => {
    expect(new Set(spans.map((span) => span.kind))).toEqual(new Set([1]))
  })

  test('a failed task is exported with error status and its exception', () => {
    const [explode] = named('explode')
    expect(explode?.status).toMatchObject({ code: 2, message: 'Error: boom' })
  })

  test('service.name of the exported spans is the strikes project', () => {
    expect(spans[0]?.resource['service.name']).toBe('otlp-demo')
  })

  test('the exported spans are the ones recorded in DuckDB: same ids, same parents', async () => {
    const rows = await query<{ span_id: string; parent_id: string | null }>(
      project.db,
      'SELECT span_id, parent_id FROM spans',
    )
    const exported = new Map(spans.map((span) => [span.spanId, span.parentSpanId ?? null]))
    expect(rows).toHaveLength(spans.length)
    for (const row of rows) expect(exported.get(row.span_id)).toBe(row.parent_id)
  })
})

describe('an eval run whose collector cannot be reached', () => {
  test('still passes and records everything in DuckDB', async () => {
    const receiver = await startOtlpReceiver()
    const closedUrl = receiver.url
    await receiver.close()
    const project = fixtureProject('otlp')
    const result = await project.vitest(['--reporter=strikes', 'traced'], {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: closedUrl, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined },
    })
    expect(result.code).toBe(0)
    const runs = await query<{ status: string; spans: bigint }>(
      project.db,
      'SELECT status, (SELECT count(*) FROM spans) AS spans FROM runs',
    )
    expect(runs).toEqual([{ status: 'passed', spans: 9n }])
  })
})

describe('an eval run with the plugin option otlp: false', () => {
  test('sends nothing, whatever OTEL_EXPORTER_OTLP_TRACES_ENDPOINT says', async () => {
    const receiver = await startOtlpReceiver()
    try {
      const project = fixtureProject('otlp')
      const result = await project.vitest(
        ['--reporter=strikes', '--config', 'vitest.no-otlp.config.ts', 'traced'],
        {
          env: {
            OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/traces`,
            OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
          },
        },
      )
      expect(result.code).toBe(0)
      expect(receiver.requests).toEqual([])
      const recorded = await query<{ n: bigint }>(project.db, 'SELECT count(*) AS n FROM spans')
      expect(recorded[0]?.n).toBe(9n)
    } finally {
      await receiver.close()
    }
  })
})
