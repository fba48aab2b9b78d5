/**
 * A local OTLP trace receiver for tests, decoding with the official OTLP protobuf definitions (the
 * `opentelemetry-proto` `.proto` files as shipped in `@elastic/mockotlpserver`): OTLP/HTTP with protobuf
 * or JSON bodies on one `node:http` server, and OTLP/gRPC (`@grpc/grpc-js`) on another, both on
 * 127.0.0.1. Every request becomes the same decoded message (protobufjs `toObject` with the options
 * `@grpc/proto-loader` uses), flattened into spans. It can also misbehave: answer with an error status,
 * or hang.
 */

import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import protobuf from 'protobufjs'

const require = createRequire(import.meta.url)
/** The folder holding `opentelemetry/proto/**` (the official definitions, v1.4.0). */
const PROTO_ROOT = dirname(require.resolve('@elastic/mockotlpserver/package.json'))
const TRACE_SERVICE = 'opentelemetry/proto/collector/trace/v1/trace_service.proto'
/** How decoded messages become plain objects: proto-loader's options, so gRPC and HTTP give the same shape. */
const TO_OBJECT = { longs: String, enums: Number, bytes: Buffer, defaults: false, oneofs: true } as const

const root = new protobuf.Root()
root.resolvePath = (_origin, target) => join(PROTO_ROOT, target)
root.loadSync(TRACE_SERVICE, { keepCase: false })
const RequestType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest')
const ResponseType = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse')

/** A received span, ids in hex, attributes decoded to plain values. */
export interface ReceivedSpan {
  traceId: string
  spanId: string
  parentSpanId: string | undefined
  name: string
  /** OTLP span kind: 1 internal, 2 server, 3 client. */
  kind: number
  scope: string | undefined
  attributes: Record<string, unknown>
  resource: Record<string, unknown>
  status: { code?: number; message?: string }
  events: { name: string; attributes: Record<string, unknown> }[]
  startTimeUnixNano: bigint
  endTimeUnixNano: bigint
}

/** One export request as received. */
export interface ReceivedRequest {
  /** `http/protobuf`, `http/json` or `grpc`. */
  protocol: string
  path: string
  headers: IncomingHttpHeaders | Record<string, string>
  spans: number
}

/** How the receiver answers. */
export type ReceiverMode =
  | { kind: 'ok' }
  /** Answers every request with this HTTP status (gRPC: UNAVAILABLE). */
  | { kind: 'status'; status: number }
  /** Accepts the request and never answers. */
  | { kind: 'hang' }

/** A running receiver. */
export interface OtlpReceiver {
  /** Base URL of the HTTP server, e.g. `http://127.0.0.1:43121` (for `OTEL_EXPORTER_OTLP_ENDPOINT`). */
  readonly url: string
  /** Address of the gRPC server, e.g. `http://127.0.0.1:43122`. */
  readonly grpcUrl: string
  readonly requests: ReceivedRequest[]
  readonly spans: ReceivedSpan[]
  /** Every export request that arrived, answered or not. */
  readonly attempts: number
  mode: ReceiverMode
  close(): Promise<void>
}

/** Starts a receiver (HTTP and gRPC) on random local ports. */
export async function startOtlpReceiver(mode: ReceiverMode = { kind: 'ok' }): Promise<OtlpReceiver> {
  const requests: ReceivedRequest[] = []
  const spans: ReceivedSpan[] = []
  const hanging = new Set<() => void>()
  const receiver = { mode, attempts: 0 }
  const take = (protocol: string, path: string, headers: ReceivedRequest['headers'], message: object) => {
    const received = flatten(message as ExportRequest)
    requests.push({ protocol, path, headers, spans: received.length })
    spans.push(...received)
  }

  const http: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      receiver.attempts += 1
      const current = receiver.mode
      if (current.kind === 'hang') {
        hanging.add(() => response.destroy())
        return
      }
      if (current.kind === 'status') {
        response.writeHead(current.status, { 'content-type': 'text/plain' }).end('receiver told to fail')
        return
      }
      const body = Buffer.concat(chunks)
      const json = (request.headers['content-type'] ?? '').includes('json')
      try {
        const message = json ? fromJson(JSON.parse(body.toString('utf8'))) : RequestType.decode(body)
        take(
          json ? 'http/json' : 'http/protobuf',
          request.url ?? '',
          request.headers,
          RequestType.toObject(message, TO_OBJECT),
        )
        if (json) response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
        else
          response
            .writeHead(200, { 'content-type': 'application/x-protobuf' })
            .end(Buffer.from(ResponseType.encode(ResponseType.create({})).finish()))
      } catch (error) {
        response.writeHead(400).end(String(error))
      }
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))

  const definition = protoLoader.loadSync(TRACE_SERVICE, { ...TO_OBJECT, includeDirs: [PROTO_ROOT] })
  const loaded = grpc.loadPackageDefinition(definition) as unknown as {
    opentelemetry: {
      proto: { collector: { trace: { v1: { TraceService: { service: grpc.ServiceDefinition } } } } }
    }
  }
  const grpcServer = new grpc.Server()
  grpcServer.addService(loaded.opentelemetry.proto.collector.trace.v1.TraceService.service, {
    Export: (call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
      receiver.attempts += 1
      const current = receiver.mode
      if (current.kind === 'hang') {
        hanging.add(() => callback({ code: grpc.status.CANCELLED, details: 'receiver closed' }))
        return
      }
      if (current.kind === 'status') {
        callback({ code: grpc.status.UNAVAILABLE, details: 'receiver told to fail' })
        return
      }
      take('grpc', call.getPath(), call.metadata.getMap() as Record<string, string>, call.request)
      callback(null, {})
    },
  })
  const grpcPort = await new Promise<number>((resolve, reject) =>
    grpcServer.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  )
  const { port } = http.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    grpcUrl: `http://127.0.0.1:${grpcPort}`,
    requests,
    spans,
    get attempts() {
      return receiver.attempts
    },
    get mode() {
      return receiver.mode
    },
    set mode(next: ReceiverMode) {
      receiver.mode = next
    },
    close: async () => {
      for (const release of hanging) release()
      http.closeAllConnections()
      await new Promise<void>((resolve) => http.close(() => resolve()))
      grpcServer.forceShutdown()
    },
  }
}

interface AnyValue {
  value?: string
  stringValue?: string
  boolValue?: boolean
  intValue?: string
  doubleValue?: number
  bytesValue?: Buffer
  arrayValue?: { values?: AnyValue[] }
  kvlistValue?: { values?: KeyValue[] }
}
interface KeyValue {
  key: string
  value?: AnyValue
}
interface Span {
  traceId: Buffer
  spanId: Buffer
  parentSpanId?: Buffer
  name: string
  kind?: number
  attributes?: KeyValue[]
  events?: { name: string; attributes?: KeyValue[] }[]
  status?: { code?: number; message?: string }
  startTimeUnixNano: string
  endTimeUnixNano: string
}
interface ExportRequest {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] }
    scopeSpans?: { scope?: { name?: string }; spans?: Span[] }[]
  }[]
}

/** The OTLP/JSON body as a message: ids are hex in OTLP/JSON (not base64 as in proto3 JSON). */
function fromJson(body: unknown): protobuf.Message {
  const hexIds = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => hexIds(item))
    if (typeof value === 'string' && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId'))
      return Buffer.from(value, 'hex')
    if (typeof value !== 'object' || value === null) return value
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, hexIds(item, name)]))
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new Error('not an ExportTraceServiceRequest: the body is not a JSON object')
  // fromObject converts by the definitions (int64 given as strings included) and throws on a wrong type.
  return RequestType.fromObject(hexIds(body) as Record<string, unknown>)
}

function flatten(body: ExportRequest): ReceivedSpan[] {
  const spans: ReceivedSpan[] = []
  for (const resourceSpans of body.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes)
    for (const scopeSpans of resourceSpans.scopeSpans ?? []) {
      for (const span of scopeSpans.spans ?? []) {
        const parent = span.parentSpanId === undefined ? '' : Buffer.from(span.parentSpanId).toString('hex')
        spans.push({
          traceId: Buffer.from(span.traceId).toString('hex'),
          spanId: Buffer.from(span.spanId).toString('hex'),
          parentSpanId: parent === '' ? undefined : parent,
          name: span.name,
          kind: span.kind ?? 0,
          scope: scopeSpans.scope?.name,
          attributes: attributesOf(span.attributes),
          resource,
          status: span.status ?? {},
          events: (span.events ?? []).map((event) => ({
            name: event.name,
            attributes: attributesOf(event.attributes),
          })),
          startTimeUnixNano: BigInt(span.startTimeUnixNano),
          endTimeUnixNano: BigInt(span.endTimeUnixNano),
        })
      }
    }
  }
  return spans
}

function attributesOf(list: KeyValue[] | undefined): Record<string, unknown> {
  const attributes: Record<string, unknown> = {}
  for (const { key, value } of list ?? [])
    attributes[key] = value === undefined ? undefined : decodeValue(value)
  return attributes
}

function decodeValue(value: AnyValue): unknown {
  if (value.stringValue !== undefined) return value.stringValue
  if (value.boolValue !== undefined) return value.boolValue
  if (value.intValue !== undefined) return Number(value.intValue)
  if (value.doubleValue !== undefined) return value.doubleValue
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeValue)
  if (value.kvlistValue !== undefined) return attributesOf(value.kvlistValue.values)
  if (value.bytesValue !== undefined) return Buffer.from(value.bytesValue)
  return undefined
}
