/**
 * Protocols (finding 3): OTLP/HTTP protobuf unless `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL` says `http/json`
 * or `grpc`; an unsupported value is one warning and the default. Every protocol delivers the whole run,
 * decoded here with the official OTLP definitions.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { fixtureProject, query } from '../helpers/fixture-project.js'
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js'

const PROTOCOL_ENV = {
  OTEL_EXPORTER_OTLP_ENDPOINT: undefined,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
  OTEL_EXPORTER_OTLP_PROTOCOL: undefined,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: undefined,
}

describe('the OTLP protocol follows the standard variables', () => {
  let receiver: OtlpReceiver
  beforeAll(async () => {
    receiver = await startOtlpReceiver()
  })
  afterAll(async () => {
    await receiver?.close()
  })

  /** Runs the `traced` fixture; returns the requests and the spans it sent, and the spans in DuckDB. */
  async function exportWith(env: Record<string, string>) {
    const requests = receiver.requests.length
    const spans = receiver.spans.length
    const project = fixtureProject('otlp')
    const result = await project.vitest(['--reporter=strikes', 'traced'], {
      env: { ...PROTOCOL_ENV, ...env },
    })
    if (result.code !== 0) throw new Error(`vitest exited ${result.code}\n${result.stdout}\n${result.stderr}`)
    const recorded = await query<{ span_id: string }>(project.db, 'SELECT span_id FROM spans')
    return {
      requests: receiver.requests.slice(requests),
      spans: receiver.spans.slice(spans),
      recorded: recorded.map((row) => row.span_id).sort(),
      output: result.stdout + result.stderr,
    }
  }

  test('OTEL_EXPORTER_OTLP_PROTOCOL=http/json posts JSON bodies to /v1/traces', async () => {
    const sent = await exportWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    })
    expect(new Set(sent.requests.map((request) => request.protocol))).toEqual(new Set(['http/json']))
    expect(sent.requests.every((request) => request.headers['content-type'] === 'application/json')).toBe(
      true,
    )
    expect(sent.spans.map((span) => span.spanId).sort()).toEqual(sent.recorded)
  })

  test('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=grpc sends over gRPC to the endpoint as it is', async () => {
    const sent = await exportWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.grpcUrl,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc',
    })
    expect(new Set(sent.requests.map((request) => request.protocol))).toEqual(new Set(['grpc']))
    expect(sent.requests[0]?.path).toBe('/opentelemetry.proto.collector.trace.v1.TraceService/Export')
    expect(sent.spans.map((span) => span.spanId).sort()).toEqual(sent.recorded)
  })

  test('the traces-specific variable wins over the general one', async () => {
    const sent = await exportWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf',
    })
    expect(new Set(sent.requests.map((request) => request.protocol))).toEqual(new Set(['http/protobuf']))
    expect(sent.spans).toHaveLength(sent.recorded.length)
  })

  test('an unsupported protocol is one clear warning, and spans still go out as http/protobuf', async () => {
    const sent = await exportWith({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift',
    })
    expect(sent.output.match(/PROTOCOL is "thrift", which strikes does not support/g)).toHaveLength(1)
    expect(new Set(sent.requests.map((request) => request.protocol))).toEqual(new Set(['http/protobuf']))
    expect(sent.spans).toHaveLength(sent.recorded.length)
  })
})
