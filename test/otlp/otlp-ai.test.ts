/**
 * Model calls as an OTLP backend receives them (finding 4), end to end: a real `vitest run` of an eval file
 * calling the real `@ai-sdk/openai` provider against the local OpenAI-compatible server, exported over
 * OTLP/HTTP protobuf to the local receiver (official OTLP definitions). Model spans are CLIENT spans with
 * GenAI and OpenInference attributes and their messages; task spans carry their input and output; the
 * tree matches DuckDB exactly.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type OpenAIServer, startOpenAIServer } from '../ai/openai-server.js'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js'

let server: OpenAIServer
let receiver: OtlpReceiver
let project: FixtureProject

beforeAll(async () => {
  server = await startOpenAIServer()
  receiver = await startOtlpReceiver()
  project = fixtureProject('ai')
  const result = await project.vitest(['--reporter=strikes', 'provider'], {
    env: {
      OPENAI_BASE_URL: server.baseURL,
      OPENAI_API_KEY: 'sk-test',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
      OTEL_EXPORTER_OTLP_PROTOCOL: undefined,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: undefined,
      STRIKES_OTLP_CONTENT: undefined,
    },
  })
  if (result.code !== 0) throw new Error(`vitest exited ${result.code}\n${result.stdout}\n${result.stderr}`)
})
afterAll(async () => {
  await server?.close()
  await receiver?.close()
})

const models = (): ReceivedSpan[] => receiver.spans.filter((span) => span.name === 'chat gpt-test')

test('model calls arrive as CLIENT spans with GenAI, server and OpenInference attributes', () => {
  expect(models()).toHaveLength(3)
  for (const span of models()) {
    expect(span.kind).toBe(3)
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-test',
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': '127.0.0.1',
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-test-2026',
      'strikes.ai.cost_usd': expect.any(Number),
    })
    const input = JSON.parse(span.attributes['gen_ai.input.messages'] as string) as { role: string }[]
    expect(input[0]?.role).toBe('user')
    expect(span.attributes['output.value']).toMatch(/^What is \w+\?$/)
  }
})

test('the calling tasks carry their question and answer, and their token metrics', () => {
  const tasks = receiver.spans.filter((span) => span.name === 'ask')
  expect(tasks.map((span) => span.attributes['input.value']).sort()).toEqual([
    'What is coffee?',
    'What is tea?',
    'What is water?',
  ])
  for (const task of tasks) {
    expect(task.attributes['output.value']).toBe(task.attributes['input.value'])
    expect(task.attributes['strikes.metric.input_tokens']).toBeGreaterThan(0)
    expect(task.attributes['strikes.metric.cost_usd']).toBeGreaterThan(0)
  }
})

test('the exported tree is the one in DuckDB: same ids, same parents', async () => {
  const rows = await query<{ span_id: string; parent_id: string | null }>(
    project.db,
    'SELECT span_id, parent_id FROM spans',
  )
  expect(receiver.spans).toHaveLength(rows.length)
  const exported = new Map(receiver.spans.map((span) => [span.spanId, span.parentSpanId ?? null]))
  for (const row of rows) expect(exported.get(row.span_id)).toBe(row.parent_id)
})
