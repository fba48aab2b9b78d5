/**
 * Metrics: validated numeric points on a task span, mirrored on the run as `<label>.<name>` series whose
 * run-level points carry a running aggregate (`mode`) beside the raw value.
 */
import { describeValue } from './describe-value.js'
import type { MetricMode, MetricSource } from './shared/spool/format.js'

export type { MetricMode, MetricSource } from './shared/spool/format.js'

/** Attribute values accepted on metrics and spans. */
export type AttributeValue =
  | string
  | number
  | boolean
  | readonly string[]
  | readonly number[]
  | readonly boolean[]

/** One metric point as kept on a `TaskSpan`. */
export interface Metric {
  /** The metric's name on the span (the run-level key is `<label>.<name>`). */
  readonly name: string
  /** The raw value (booleans are stored as 1 and 0). */
  readonly value: number
  readonly step: number
  /** Milliseconds since the Unix epoch. */
  readonly timestamp: number
  readonly mode: MetricMode | undefined
  readonly source: MetricSource
  readonly attributes: Readonly<Record<string, unknown>>
}

/** Options of `logMetric`. */
export interface LogMetricOptions {
  /** Position in a sequence (epoch, turn, trial); default 0. */
  step?: number
  /** How the run-level series of this key aggregates; the run-level point stores the aggregate after this value. */
  mode?: MetricMode
  /** The value this metric was computed from (for example a scorer's output); stored as an object and linked. */
  origin?: unknown
  /** `'run'`: log on the run, unprefixed; default `'task-or-run'`: the innermost task, else the run. */
  to?: 'task-or-run' | 'run'
  /** Extra attributes kept with the point. */
  attributes?: Record<string, unknown>
}

const METRIC_MODES: readonly MetricMode[] = ['avg', 'sum', 'min', 'max', 'count']

const MAX_METRIC_NAME_LENGTH = 1024

/** Checks a metric name: a non-empty string of at most 1,024 characters; throws a `TypeError` naming it otherwise. */
function checkMetricName(name: unknown): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new TypeError(`strikes: a metric name must be a non-empty string, got ${describeValue(name)}`)
  }
  if (name.length > MAX_METRIC_NAME_LENGTH) {
    throw new TypeError(
      `strikes: the metric name "${name.slice(0, 40)}…" is ${name.length} characters long; the limit is ${MAX_METRIC_NAME_LENGTH}`,
    )
  }
  return name
}

/** Converts a metric value to a finite number (true = 1, false = 0); throws a `TypeError` naming the metric otherwise. */
function toMetricValue(name: string, value: unknown): number {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'number' && Number.isFinite(value)) return value
  throw new TypeError(
    `strikes: metric "${name}" must be a finite number or a boolean, got ${describeValue(value)}`,
  )
}

/** Checks a metric mode; throws a `TypeError` naming the metric when it is not one of `avg sum min max count`. */
function checkMetricMode(name: string, mode: unknown): MetricMode | undefined {
  if (mode === undefined) return undefined
  if (typeof mode === 'string' && (METRIC_MODES as readonly string[]).includes(mode))
    return mode as MetricMode
  throw new TypeError(
    `strikes: metric "${name}" has mode ${describeValue(mode)}; use one of ${METRIC_MODES.join(', ')}`,
  )
}

/** Checks a metric step: a finite number (default 0). */
function checkMetricStep(name: string, step: unknown): number {
  if (step === undefined) return 0
  if (typeof step === 'number' && Number.isFinite(step)) return step
  throw new TypeError(
    `strikes: metric "${name}" has step ${describeValue(step)}; a step must be a finite number`,
  )
}

/** A metric point's checked value, mode and step. */
export interface CheckedMetric {
  readonly value: number
  readonly mode: MetricMode | undefined
  readonly step: number
}

/** Checks everything `logMetric` is given before anything is recorded; throws a `TypeError` naming the metric. */
export function checkMetric(name: unknown, value: unknown, options: LogMetricOptions): CheckedMetric {
  const checkedName = checkMetricName(name)
  return {
    value: toMetricValue(checkedName, value),
    mode: checkMetricMode(checkedName, options.mode),
    step: checkMetricStep(checkedName, options.step),
  }
}

/** The running state of one run-level series. */
export class SeriesAggregate {
  count = 0
  sum = 0
  min = Number.POSITIVE_INFINITY
  max = Number.NEGATIVE_INFINITY
  last = 0

  /** Adds a raw value and returns the aggregate the run-level point stores for `mode` (the raw value when no mode). */
  add(raw: number, mode: MetricMode | undefined): number {
    this.count += 1
    this.sum += raw
    if (raw < this.min) this.min = raw
    if (raw > this.max) this.max = raw
    this.last = raw
    switch (mode) {
      case 'avg':
        return this.sum / this.count
      case 'sum':
        return this.sum
      case 'min':
        return this.min
      case 'max':
        return this.max
      case 'count':
        return this.count
      default:
        return raw
    }
  }

  /** Count, mean, min, max and last value of the series so far. */
  summary(): MetricSummary {
    return { count: this.count, avg: this.sum / this.count, min: this.min, max: this.max, last: this.last }
  }
}

/** Count / avg / min / max / last of a run-level series. */
export interface MetricSummary {
  count: number
  avg: number
  min: number
  max: number
  last: number
}

/** Mean of the values of a span's metrics (of one name, or all); `undefined` when there are none. */
export function averageOf(
  metrics: Readonly<Record<string, readonly Metric[]>>,
  name?: string,
): number | undefined {
  let sum = 0
  let count = 0
  const lists =
    name === undefined ? Object.values(metrics) : Object.hasOwn(metrics, name) ? [metrics[name] ?? []] : []
  for (const list of lists) {
    for (const metric of list) {
      sum += metric.value
      count += 1
    }
  }
  return count === 0 ? undefined : sum / count
}
