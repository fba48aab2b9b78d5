/**
 * OTLP export: when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (or the
 * plugin option `otlp` is `true`), strikes spans also go to that collector over OTLP/HTTP (JSON bodies),
 * configured by the standard `OTEL_EXPORTER_OTLP_*` variables (headers, timeout, compression) and batched
 * by the standard `OTEL_BSP_*` ones. `otlp: false` turns it off whatever the environment says.
 */
import type { ExportResult } from '@opentelemetry/core'
import type { SpanExporter } from '@opentelemetry/sdk-trace-base'
import { describeThrown } from './serialise.js'
import { addSpanProcessors, setTracingResource } from './tracing.js'

/** What decides the OTLP export of a worker. */
export interface OtlpSetup {
  /** The plugin option: `true` forces export on, `false` off, `undefined` follows the environment. */
  readonly otlp: boolean | undefined
  /** `service.name` of exported spans unless `OTEL_SERVICE_NAME` says otherwise; default `strikes`. */
  readonly serviceName?: string | undefined
  /** The environment to read; default `process.env`. */
  readonly env?: NodeJS.ProcessEnv
}

const INSTALLED = Symbol.for('strikes.otlp.installed.v1')

type GlobalWithOtlp = typeof globalThis & { [INSTALLED]?: string }

/** Whether spans should be exported: the option when set, else whether an OTLP endpoint is configured. */
export function otlpRequested(otlp: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (otlp !== undefined) return otlp
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false
  if (env.OTEL_TRACES_EXPORTER?.trim().toLowerCase() === 'none') return false
  return nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT)
}

/** The URL spans are sent to, as the exporter derives it from the environment. */
export function otlpTracesUrl(env: NodeJS.ProcessEnv = process.env): string {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim()
  if (traces) return traces
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()
  if (base) return `${base.replace(/\/+$/, '')}/v1/traces`
  return 'http://localhost:4318/v1/traces'
}

/**
 * Adds an OTLP/HTTP exporter to strikes' tracer when export is requested; must run before the first span
 * (the Vitest setup file calls it first thing). Returns the URL spans go to, or `undefined` when export is
 * off. Idempotent within a process.
 */
export async function enableOtlpExport(setup: OtlpSetup): Promise<string | undefined> {
  const env = setup.env ?? process.env
  if (!otlpRequested(setup.otlp, env)) return undefined
  const scope = globalThis as GlobalWithOtlp
  if (scope[INSTALLED] !== undefined) return scope[INSTALLED]
  const url = otlpTracesUrl(env)
  // Loaded only when exporting, so workers that do not export never load the exporter.
  const [{ OTLPTraceExporter }, { BatchSpanProcessor }, resources] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/resources'),
  ])
  const resource = resources
    .defaultResource()
    .merge(resources.resourceFromAttributes({ 'service.name': setup.serviceName ?? 'strikes' }))
    .merge(resources.detectResources({ detectors: [resources.envDetector] }))
  const exporter = new WarningExporter(new OTLPTraceExporter(), url)
  if (!setTracingResource(resource) || !addSpanProcessors([new BatchSpanProcessor(exporter)])) {
    console.warn(
      `strikes: OTLP export to ${url} is off in this worker: strikes spans were created before its setup ` +
        'file ran (by another setup file?); spans are still recorded in DuckDB',
    )
    return undefined
  }
  scope[INSTALLED] = url
  return url
}

/** An exporter that reports its first failure on the console (the OpenTelemetry SDK is silent by default). */
class WarningExporter implements SpanExporter {
  readonly #inner: SpanExporter
  readonly #url: string
  #warned = false

  constructor(inner: SpanExporter, url: string) {
    this.#inner = inner
    this.#url = url
  }

  export(spans: Parameters<SpanExporter['export']>[0], done: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      if (result.code !== 0 && !this.#warned) {
        this.#warned = true
        console.warn(
          `strikes: OTLP export to ${this.#url} failed: ${result.error === undefined ? 'unknown error' : describeThrown(result.error)}; ` +
            'spans are still recorded in DuckDB (check the collector is running and OTEL_EXPORTER_OTLP_* settings)',
        )
      }
      done(result)
    })
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown()
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush?.() ?? Promise.resolve()
  }
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== ''
}
