/**
 * When OTLP export is on, and where spans go: the plugin option first, then the standard environment.
 */
import { describe, expect, test } from 'vitest'
import { otlpContentEnabled, otlpProtocol, otlpRequested, otlpTracesUrl } from '../../src/otlp-settings.js'

describe('otlpRequested', () => {
  test('follows OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT when the option is unset', () => {
    expect(otlpRequested(undefined, {})).toBe(false)
    expect(otlpRequested(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true)
    expect(
      otlpRequested(undefined, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector/v1/traces' }),
    ).toBe(true)
    expect(otlpRequested(undefined, { OTEL_EXPORTER_OTLP_ENDPOINT: '  ' })).toBe(false)
  })

  test('otlp: false turns export off and otlp: true turns it on, whatever the environment says', () => {
    expect(otlpRequested(false, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(false)
    expect(otlpRequested(true, {})).toBe(true)
  })

  test('OTEL_SDK_DISABLED=true and OTEL_TRACES_EXPORTER=none turn it off unless the option forces it', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }
    expect(otlpRequested(undefined, { ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(false)
    expect(otlpRequested(undefined, { ...endpoint, OTEL_TRACES_EXPORTER: 'none' })).toBe(false)
    expect(otlpRequested(true, { ...endpoint, OTEL_SDK_DISABLED: 'true' })).toBe(true)
  })
})

describe('otlpTracesUrl', () => {
  test('the traces endpoint is used as it is; the base endpoint gets /v1/traces; default localhost:4318', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c/custom' })).toBe('http://c/custom')
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318/' })).toBe('http://c:4318/v1/traces')
    expect(otlpTracesUrl({})).toBe('http://localhost:4318/v1/traces')
  })
})

describe('otlpProtocol', () => {
  test('http/protobuf unless OTEL_EXPORTER_OTLP_TRACES_PROTOCOL, then OTEL_EXPORTER_OTLP_PROTOCOL, says otherwise', () => {
    expect(otlpProtocol({})).toEqual({ protocol: 'http/protobuf', unsupported: undefined })
    expect(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).protocol).toBe('grpc')
    expect(
      otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' })
        .protocol,
    ).toBe('http/json')
  })

  test('an unknown value is reported as unsupported and falls back to http/protobuf', () => {
    expect(otlpProtocol({ OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' })).toEqual({
      protocol: 'http/protobuf',
      unsupported: 'thrift',
    })
  })

  test('gRPC sends to the endpoint as it is (default localhost:4317), never with /v1/traces', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4317' }, 'grpc')).toBe('http://c:4317')
    expect(otlpTracesUrl({}, 'grpc')).toBe('http://localhost:4317')
  })
})

describe('otlpContentEnabled', () => {
  test('on by default; off with STRIKES_OTLP_CONTENT or OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT = false', () => {
    expect(otlpContentEnabled(undefined, {})).toBe(true)
    expect(otlpContentEnabled(undefined, { STRIKES_OTLP_CONTENT: 'false' })).toBe(false)
    expect(otlpContentEnabled(undefined, { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: '0' })).toBe(
      false,
    )
  })

  test('the option otlp: { content } wins over the environment', () => {
    expect(otlpContentEnabled(true, { STRIKES_OTLP_CONTENT: 'false' })).toBe(true)
    expect(otlpContentEnabled(false, {})).toBe(false)
  })
})
