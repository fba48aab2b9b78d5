/**
 * OTLP export: when `OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set (or the
 * plugin option `otlp` is `true`), strikes spans also go to that collector over OTLP/HTTP (JSON bodies),
 * configured by the standard `OTEL_EXPORTER_OTLP_*` variables (headers, timeout, compression) and batched
 * by the standard `OTEL_BSP_*` ones. `otlp: false` turns it off whatever the environment says.
 */
import type { ExportResult } from '@opentelemetry/core'
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { toReadableSpan } from './otlp-span.js'
import { runtime } from './runtime.js'
import { describeThrown } from './serialise.js'

/** What decides the OTLP export of a worker. */
export interface OtlpSetup {
  /** The plugin option: `true` forces export on, `false` off, `undefined` follows the environment. */
  readonly otlp: boolean | undefined
  /** `service.name` of exported spans unless `OTEL_SERVICE_NAME` says otherwise; default `strikes`. */
  readonly serviceName?: string | undefined
}

/**
 * Time one export may take, retries included, unless `OTEL_EXPORTER_OTLP_(TRACES_)TIMEOUT` says otherwise
 * (the exporter's own default, 10 s, is Vitest's whole hook timeout).
 */
export const DEFAULT_EXPORT_TIMEOUT_MS = 5_000

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
 * Sends every span ended from now on to an OTLP/HTTP exporter when export is requested (the Vitest setup
 * file calls it first thing). Returns the URL spans go to, or `undefined` when export is off. Idempotent
 * within a process. The OpenTelemetry SDK and the exporter are loaded only here.
 */
export async function enableOtlpExport(setup: OtlpSetup): Promise<string | undefined> {
  // The exporter and the resource detector read `process.env` themselves, so the decision does too.
  const env = process.env
  if (!otlpRequested(setup.otlp, env)) return undefined
  if (runtime.otlpUrl !== undefined) return runtime.otlpUrl
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
  const timeoutMs = exportTimeoutMs(env)
  const warnings = new ExportWarnings(url)
  // A timeout given here would override the environment's, so it is only given when the environment has none.
  const given = timeoutMs === DEFAULT_EXPORT_TIMEOUT_MS ? { timeoutMillis: timeoutMs } : {}
  const exporter = new WarningExporter(new OTLPTraceExporter(given), warnings)
  const processor = new BoundedFlushProcessor(new BatchSpanProcessor(exporter), timeoutMs + 1_000, warnings)
  runtime.exporter = {
    onEnd: (ended) => processor.onEnd(toReadableSpan(ended, resource)),
    flush: () => processor.forceFlush(),
  }
  runtime.otlpUrl = url
  return url
}

/** Sends the spans queued for export, if export is on (bounded; never rejects). */
export async function flushExport(): Promise<void> {
  await runtime.exporter?.flush()
}

/** The export timeout in milliseconds: the environment's, else `DEFAULT_EXPORT_TIMEOUT_MS`. */
function exportTimeoutMs(env: NodeJS.ProcessEnv): number {
  for (const name of ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT']) {
    const value = Number(env[name])
    if (nonEmpty(env[name]) && Number.isFinite(value) && value > 0) return value
  }
  return DEFAULT_EXPORT_TIMEOUT_MS
}

/** Console warnings about exporting to one collector, each given once (the OpenTelemetry SDK is silent by default). */
class ExportWarnings {
  readonly #url: string
  readonly #given = new Set<string>()

  constructor(url: string) {
    this.#url = url
  }

  /** Warns once per kind of problem. */
  warn(kind: 'failed' | 'slow', detail: string): void {
    if (this.#given.has(kind)) return
    this.#given.add(kind)
    console.warn(
      `strikes: OTLP export to ${this.#url} ${detail}; spans are still recorded in DuckDB ` +
        '(check that the collector is running and the OTEL_EXPORTER_OTLP_* settings)',
    )
  }
}

/** An exporter that warns on the console when an export fails. */
class WarningExporter implements SpanExporter {
  readonly #inner: SpanExporter
  readonly #warnings: ExportWarnings

  constructor(inner: SpanExporter, warnings: ExportWarnings) {
    this.#inner = inner
    this.#warnings = warnings
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#inner.export(spans, (result) => {
      if (result.code !== 0) {
        this.#warnings.warn(
          'failed',
          `failed: ${result.error === undefined ? 'unknown error' : describeThrown(result.error)}`,
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

/**
 * A span processor whose flush and shutdown never fail and never wait longer than `limitMs`: an
 * unreachable collector must not fail or stall the eval file whose end flushes it.
 */
class BoundedFlushProcessor {
  readonly #inner: SpanProcessor
  readonly #limitMs: number
  readonly #warnings: ExportWarnings

  constructor(inner: SpanProcessor, limitMs: number, warnings: ExportWarnings) {
    this.#inner = inner
    this.#limitMs = limitMs
    this.#warnings = warnings
  }

  onEnd(span: ReadableSpan): void {
    this.#inner.onEnd(span)
  }

  forceFlush(): Promise<void> {
    return this.#bounded(this.#inner.forceFlush())
  }

  shutdown(): Promise<void> {
    return this.#bounded(this.#inner.shutdown())
  }

  async #bounded(work: Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), this.#limitMs)
      timer.unref()
    })
    // Failures were reported by the exporter; here they only must not escape.
    const outcome = await Promise.race([
      work.then(
        () => 'done' as const,
        () => 'done' as const,
      ),
      late,
    ])
    clearTimeout(timer)
    if (outcome === 'late')
      this.#warnings.warn('slow', `did not finish within ${this.#limitMs} ms; not waiting longer`)
  }
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== ''
}
