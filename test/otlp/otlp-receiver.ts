/**
 * A local OTLP/HTTP trace receiver for tests: a `node:http` server on 127.0.0.1 (random port) that
 * decodes JSON export requests into flat spans with their resource.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An OTLP `AnyValue` as JSON. */
export interface OtlpValue {
  stringValue?: string
  boolValue?: boolean
  intValue?: number | string
  doubleValue?: number
  arrayValue?: { values?: OtlpValue[] }
}

interface OtlpKeyValue {
  key: string
  value: OtlpValue
}

interface OtlpSpan {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  attributes?: OtlpKeyValue[]
  status?: { code?: number; message?: string }
}

interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] }
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[]
  }[]
}

/** A received span, attributes decoded to plain values. */
export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId: string | undefined
  name: string
  scope: string | undefined
  attributes: Record<string, unknown>
  resource: Record<string, unknown>
  status: { code?: number; message?: string }
}

/** One export request as received. */
export interface ReceivedRequest {
  path: string
  headers: IncomingHttpHeaders
}

/** A running receiver. */
export interface OtlpReceiver {
  /** Base URL, e.g. `http://127.0.0.1:43121` (for `OTEL_EXPORTER_OTLP_ENDPOINT`). */
  readonly url: string
  readonly requests: ReceivedRequest[]
  readonly spans: ReceivedSpan[]
  close(): Promise<void>
}

/** Starts a receiver on a random local port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = []
  const spans: ReceivedSpan[] = []
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      requests.push({ path: request.url ?? '', headers: request.headers })
      try {
        spans.push(...decode(JSON.parse(Buffer.concat(chunks).toString('utf8')) as ExportRequest))
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      } catch (error) {
        response.writeHead(400).end(String(error))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}

function decode(body: ExportRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = []
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes)
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        spans.push({
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId === '' ? undefined : span.parentSpanId,
          name: span.name,
          scope: scopeSpans.scope?.name,
          attributes: attributesOf(span.attributes),
          resource,
          status: span.status ?? {},
        })
      }
    }
  }
  return spans
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {}
  for (const { key, value } of list ?? []) attributes[key] = decodeValue(value)
  return attributes
}

function decodeValue(value: OtlpValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return value.doubleValue
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeValue)
  return undefined
}
