/**
 * How OTLP export is configured: whether it is on, the protocol, where spans go, the export timeout, the
 * batching, and whether content (inputs, outputs, prompts) goes with the spans — from the plugin option
 * and the standard `OTEL_*` environment variables. Plain functions of the environment, loaded by every
 * worker; the exporters themselves are loaded only when export is on.
 */

/** The OTLP transports strikes can export with. */
export type OtlpProtocol = 'http/protobuf' | 'http/json' | 'grpc'

const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json', 'grpc']

/** The protocol when the environment names none: the OpenTelemetry specification's default. */
export const DEFAULT_PROTOCOL: OtlpProtocol = 'http/protobuf'

/**
 * Time one export may take, retries included, unless `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` says otherwise.
 * Short on purpose: the first export that fails gives up export for the whole session, so a collector
 * that is down or hangs costs at most this once per session. A collector a second away needs a larger one.
 */
export const DEFAULT_EXPORT_TIMEOUT_MS = 1_000

/** Spans held for export before new ones are dropped (and counted), unless `OTEL_BSP_MAX_QUEUE_SIZE` says otherwise. */
export const DEFAULT_MAX_QUEUE_SIZE = 1_000_000

/** Spans per export request, unless `OTEL_BSP_MAX_EXPORT_BATCH_SIZE` says otherwise. */
export const DEFAULT_BATCH_SIZE = 512

/** Milliseconds a span may wait for its batch to fill, unless `OTEL_BSP_SCHEDULE_DELAY` says otherwise. */
export const DEFAULT_SCHEDULE_DELAY_MS = 1_000

/** The export set-up read from the environment. */
export interface OtlpEnvironment {
  readonly protocol: OtlpProtocol
  /** The protocol value the environment gave when strikes does not support it (export then uses the default). */
  readonly unsupportedProtocol: string | undefined
  /** Where spans are sent: the traces URL (HTTP) or the collector's address (gRPC). */
  readonly url: string
  readonly timeoutMs: number
  readonly maxQueueSize: number
  readonly batchSize: number
  readonly scheduleDelayMs: number
}

/** Whether spans should be exported: the option when set, else whether an OTLP endpoint is configured. */
export function otlpRequested(otlp: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (otlp !== undefined) return otlp
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return false
  return nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT)
}

/**
 * Whether content — task inputs and outputs, prompts and completions, tool arguments and results — goes
 * on exported spans: the option when set (`otlp: { content }`), else off when `STRIKES_OTLP_CONTENT` or
 * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` is `false`/`0`, else on.
 */
export function otlpContentEnabled(
  option: boolean | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (option !== undefined) return option
  for (const name of ['STRIKES_OTLP_CONTENT', 'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT']) {
    const value = env[name]?.trim().toLowerCase()
    if (value === 'false' || value === '0') return false
  }
  return true
}

/** The protocol named by `OTEL_EXPORTER_OTLP_TRACES_PROTOCOL`, else `OTEL_EXPORTER_OTLP_PROTOCOL`, else the default. */
export function otlpProtocol(env: NodeJS.ProcessEnv = process.env): {
  protocol: OtlpProtocol
  unsupported: string | undefined
} {
  const given = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL)?.trim()
  if (given === undefined || given === '') return { protocol: DEFAULT_PROTOCOL, unsupported: undefined }
  const known = PROTOCOLS.find((protocol) => protocol === given.toLowerCase())
  return known === undefined
    ? { protocol: DEFAULT_PROTOCOL, unsupported: given }
    : { protocol: known, unsupported: undefined }
}

/**
 * Where spans are sent. HTTP: the traces endpoint as it is, else the base endpoint with `/v1/traces`,
 * else `http://localhost:4318/v1/traces`. gRPC: the endpoint as it is, else `http://localhost:4317`.
 */
export function otlpTracesUrl(
  env: NodeJS.ProcessEnv = process.env,
  protocol = otlpProtocol(env).protocol,
): string {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
  if (traces) return traces
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  if (protocol === 'grpc') return base || 'http://localhost:4317'
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`
  return 'http://localhost:4318/v1/traces'
}

/** The whole export set-up of the environment. */
export function otlpEnvironment(env: NodeJS.ProcessEnv = process.env): OtlpEnvironment {
  const { protocol, unsupported } = otlpProtocol(env)
  const timeout = positive(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT) ?? positive(env.OTEL_EXPORTER_OTLP_TIMEOUT)
  return {
    protocol,
    unsupportedProtocol: unsupported,
    url: otlpTracesUrl(env, protocol),
    timeoutMs: timeout ?? DEFAULT_EXPORT_TIMEOUT_MS,
    maxQueueSize: positive(env.OTEL_BSP_MAX_QUEUE_SIZE) ?? DEFAULT_MAX_QUEUE_SIZE,
    batchSize: positive(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE) ?? DEFAULT_BATCH_SIZE,
    scheduleDelayMs: positive(env.OTEL_BSP_SCHEDULE_DELAY) ?? DEFAULT_SCHEDULE_DELAY_MS,
  }
}

function positive(value: string | undefined): number | undefined {
  if (!nonEmpty(value)) return undefined
  const number = Number(value)
  return Number.isFinite(number) && number > 0 ? Math.floor(number) : undefined
}

function nonEmpty(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== ''
}
