/**
 * Content on exported spans (finding 4): task spans carry OpenInference `input.value` / `output.value`
 * with their MIME types and `openinference.span.kind`, metrics and scores as `strikes.metric.*` /
 * `strikes.score.*`, texts cut at `maxObjectBytes`; `otlp: { content: false }` (or
 * `STRIKES_OTLP_CONTENT=false`) keeps inputs and outputs home and still exports metrics and scores.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtureProject } from '../helpers/fixture-project.js'
import { type OtlpReceiver, type ReceivedSpan, startOtlpReceiver } from './otlp-receiver.js'

const CLEAN_ENV = {
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
  OTEL_EXPORTER_OTLP_PROTOCOL: undefined,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: undefined,
  STRIKES_OTLP_CONTENT: undefined,
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: undefined,
}

/** Runs the `content` fixture with a config and extra environment; returns the spans received. */
async function exportContent(
  receiver: OtlpReceiver,
  config: string,
  env: Record<string, string> = {},
): Promise<ReceivedSpan[]> {
  const before = receiver.spans.length
  const project = fixtureProject('otlp')
  const result = await project.vitest(['--reporter=strikes', '--config', config, 'content'], {
    env: { ...CLEAN_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, ...env },
  })
  if (result.code !== 0) throw new Error(`vitest exited ${result.code}\n${result.stdout}\n${result.stderr}`)
  return receiver.spans.slice(before)
}

describe('exported spans carry what the task saw and produced', () => {
  let receiver: OtlpReceiver
  let spans: ReceivedSpan[]
  const named = (name: string) => spans.find((span) => span.name === name)

  beforeAll(async () => {
    receiver = await startOtlpReceiver()
    spans = await exportContent(receiver, 'vitest.content.config.ts')
  })
  afterAll(async () => {
    await receiver?.close()
  })

  test('a string input and output are input.value / output.value as text/plain', () => {
    expect(named('shout')?.attributes).toMatchObject({
      'input.value': 'hello',
      'input.mime_type': 'text/plain',
      'output.value': 'HELLO',
      'output.mime_type': 'text/plain',
      'openinference.span.kind': 'CHAIN',
    })
  })

  test('an object input and output are JSON (application/json): the value of a single input, not keyed by name', () => {
    const route = named('Route Ticket')?.attributes
    expect(route?.['input.mime_type']).toBe('application/json')
    expect(JSON.parse(route?.['input.value'] as string)).toEqual({ id: 7, body: 'refund please' })
    expect(route?.['output.mime_type']).toBe('application/json')
    expect(JSON.parse(route?.['output.value'] as string)).toEqual({ queue: 'billing' })
  })

  test('logged metrics are strikes.metric.<name>, scores strikes.score.<name>', () => {
    expect(named('shout')?.attributes['strikes.metric.letters']).toBe(5)
    expect(named('Route Ticket')?.attributes['strikes.score.billing']).toBe(1)
  })

  test('a value larger than maxObjectBytes is cut to it (UTF-8 bytes, whole characters) and marked', () => {
    const echo = named('echo')?.attributes
    const input = echo?.['input.value'] as string
    expect(Buffer.byteLength(input)).toBeLessThanOrEqual(8192)
    expect(input.length).toBeGreaterThan(4000)
    expect(input.endsWith('…')).toBe(true)
    expect(input.slice(0, -1)).toMatch(/^é+$/)
    expect(echo?.['strikes.content.truncated']).toBe(true)
  })

  test('test-case spans are CHAIN spans too, with no content of their own', () => {
    const testCase = named('content.eval.ts > content')?.attributes
    expect(testCase?.['openinference.span.kind']).toBe('CHAIN')
    expect(testCase?.['input.value']).toBeUndefined()
  })
})

describe('content export switched off', () => {
  let receiver: OtlpReceiver
  beforeAll(async () => {
    receiver = await startOtlpReceiver()
  })
  afterAll(async () => {
    await receiver?.close()
  })

  const withoutContent = (spans: ReceivedSpan[]) => {
    expect(spans.length).toBe(4)
    for (const span of spans) {
      expect(Object.keys(span.attributes).filter((key) => /^(input|output)\./.test(key))).toEqual([])
    }
    const route = spans.find((span) => span.name === 'Route Ticket')
    expect(route?.attributes['strikes.score.billing']).toBe(1)
  }

  test('otlp: { content: false } exports no inputs or outputs, still the scores', async () => {
    withoutContent(await exportContent(receiver, 'vitest.no-content.config.ts'))
  })

  test('STRIKES_OTLP_CONTENT=false does the same without touching the config', async () => {
    withoutContent(
      await exportContent(receiver, 'vitest.content.config.ts', { STRIKES_OTLP_CONTENT: 'false' }),
    )
  })
})
