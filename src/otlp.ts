/**
 * OTLP export: when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (or the
 * plugin option `otlp` turns it on), strikes spans also go to that collector — over OTLP/HTTP with
 * protobuf bodies by default, or JSON or gRPC as `OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL` says — configured
 * by the standard `OTEL_EXPORTER_OTLP_*` variables. The exporter of the chosen protocol and the
 * OpenTelemetry SDK are loaded only here, only when exporting. `otlp: false` turns export off whatever
 * the environment says.
 */
import type { SpanExporter } from '@opentelemetry/sdk-trace-base'
import { ExportQueue, type Sender } from './otlp-queue.js'
import { type OtlpProtocol, otlpContentEnabled, otlpEnvironment, otlpRequested } from './otlp-settings.js'
import { toReadableSpan } from './otlp-span.js'
import { runtime } from './runtime.js'
import { collectorDown, warnOncePerSession } from './shared/spool/otlp-outcome.js'

export {
  DEFAULT_EXPORT_TIMEOUT_MS,
  otlpContentEnabled,
  otlpProtocol,
  otlpRequested,
  otlpTracesUrl,
} from './otlp-settings.js'

/** What decides the OTLP export of a worker. */
export interface OtlpSetup {
  /** The plugin option: `true` forces export on, `false` off, `undefined` follows the environment. */
  readonly otlp: boolean | undefined
  /** `otlp: { content }`: whether inputs, outputs and prompts go with the spans; `undefined` follows the environment. */
  readonly content?: boolean | undefined
  /** Largest content attribute in bytes (the plugin's `maxObjectBytes`). */
  readonly maxObjectBytes: number
  /** `service.name` of exported spans unless `OTEL_SERVICE_NAME` says otherwise; default `strikes`. */
  readonly serviceName?: string | undefined
  /** The session's spool folder, shared by its workers (counts, and the mark of a collector that is down). */
  readonly sessionDir?: string | undefined
}

/**
 * Sends every span ended from now on to the OTLP collector when export is requested (the Vitest setup
 * file calls it first thing). Returns the URL spans go to, or `undefined` when export is off. Idempotent
 * within a process. The exporter is loaded when the first batch goes out, not here, so a file's tests
 * do not wait for it.
 */
export async function enableOtlpExport(setup: OtlpSetup): Promise<string | undefined> {
  // The exporters and the resource detector read `process.env` themselves, so the decision does too.
  const env = process.env
  if (!otlpRequested(setup.otlp, env)) return undefined
  if (runtime.otlpUrl !== undefined) return runtime.otlpUrl
  const settings = otlpEnvironment(env)
  const { url, protocol } = settings
  const sessionDir = setup.sessionDir
  if (settings.unsupportedProtocol !== undefined) {
    warnOncePerSession(sessionDir, 'protocol', () =>
      console.warn(
        `strikes: OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL is "${settings.unsupportedProtocol}", which strikes does not ` +
          `support; exporting with ${protocol} (use http/protobuf, http/json or grpc)`,
      ),
    )
  }
  const queue = {
    url,
    timeoutMs: settings.timeoutMs,
    maxQueueSize: settings.maxQueueSize,
    batchSize: settings.batchSize,
    scheduleDelayMs: settings.scheduleDelayMs,
    sessionDir,
  }
  if (sessionDir !== undefined && collectorDown(sessionDir) !== undefined) {
    // An earlier worker of this session found the collector down: count the spans, load nothing, send nothing.
    runtime.exporter = new ExportQueue({ ...queue, load: undefined })
    runtime.otlpUrl = url
    return url
  }
  const content = { content: otlpContentEnabled(setup.content, env), maxBytes: setup.maxObjectBytes }
  const serviceName = setup.serviceName ?? 'strikes'
  const load = async (): Promise<Sender> => {
    const [exporter, resources] = await Promise.all([
      createExporter(protocol, url, exporterTimeoutMs(settings.timeoutMs)),
      import('@opentelemetry/resources'),
    ])
    const resource = resources
      .defaultResource()
      .merge(resources.resourceFromAttributes({ 'service.name': serviceName }))
      .merge(resources.detectResources({ detectors: [resources.envDetector] }))
    return { exporter, convert: (ended) => toReadableSpan(ended, resource, content) }
  }
  runtime.exporter = new ExportQueue({ ...queue, load })
  runtime.otlpUrl = url
  return url
}

/** Sends the spans queued for export and records the worker's counts, if export is on (bounded; never rejects). */
export async function flushExport(): Promise<void> {
  await runtime.exporter?.flush()
}

/**
 * The exporter's own timeout (which aborts a request): generous, since the export timeout strikes gives up
 * by is measured in time the worker was free to read an answer (`otlp-queue.ts`), and a request whose
 * answer waited behind a burst of synchronous work must not be aborted for it.
 */
function exporterTimeoutMs(timeoutMs: number): number {
  return Math.max(timeoutMs, 30_000)
}

/** The exporter of a protocol, loaded only now. */
async function createExporter(
  protocol: OtlpProtocol,
  url: string,
  timeoutMillis: number,
): Promise<SpanExporter> {
  const config = { url, concurrencyLimit: 8, timeoutMillis }
  switch (protocol) {
    case 'http/json': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http')
      return new OTLPTraceExporter(config)
    }
    case 'grpc': {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-grpc')
      return new OTLPTraceExporter(config) as unknown as SpanExporter
    }
    default: {
      const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto')
      return new OTLPTraceExporter(config) as unknown as SpanExporter
    }
  }
}
