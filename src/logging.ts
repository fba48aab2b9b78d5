/**
 * Logging from anywhere: metrics, inputs, outputs, parameters and tags go to the innermost task (or
 * `taskSpan`), else to the run; outside any run they are checked and otherwise dropped (detached mode).
 */
import { epochMs } from './clock.js'
import { activeRun, innermostSpan } from './current.js'
import { checkMetric, type LogMetricOptions, type Metric } from './metrics.js'
import type { TaskSpan } from './task-span.js'

/** Where a logged value goes: the innermost task, else the run (`'task-or-run'`, default), or the run. */
export interface LogTarget {
  to?: 'task-or-run' | 'run'
}

/**
 * Logs a metric on the innermost task (mirrored on the run as `<label>.<name>`) or, outside tasks or with
 * `to: 'run'`, on the run unprefixed. Throws a `TypeError` naming the metric for NaN, ±Infinity or non-numbers.
 */
export function logMetric(
  name: string,
  value: number | boolean,
  options: LogMetricOptions = {},
): Metric | undefined {
  const span = innermostSpan()
  if (span !== undefined && options.to !== 'run') return span.logMetric(name, value, options)
  const checked = checkMetric(name, value, options)
  activeRun()?.addRunMetric(name, checked.value, checked.mode, checked.step, epochMs(), span?.spanId ?? null)
  return undefined
}

/** Logs several metrics with the same options; every value is checked before any is logged. */
export function logMetrics(metrics: Record<string, number | boolean>, options: LogMetricOptions = {}): void {
  for (const [name, value] of Object.entries(metrics)) checkMetric(name, value, options)
  for (const [name, value] of Object.entries(metrics)) logMetric(name, value, options)
}

function logValue(direction: 'input' | 'output', name: string, value: unknown, target: LogTarget): void {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(`strikes: an ${direction} needs a non-empty string name, got ${String(name)}`)
  }
  const span = target.to === 'run' ? undefined : innermostSpan()
  if (span !== undefined) {
    if (direction === 'input') span.logInput(name, value)
    else span.logOutput(name, value)
    return
  }
  activeRun()?.recorder?.recordValue(null, direction, name, value)
}

/** Logs a named input on the innermost task (or the run). Any value is accepted and serialised. */
export function logInput(name: string, value: unknown, target: LogTarget = {}): void {
  logValue('input', name, value, target)
}

/** Logs several named inputs. */
export function logInputs(inputs: Record<string, unknown>, target: LogTarget = {}): void {
  for (const [name, value] of Object.entries(inputs)) logValue('input', name, value, target)
}

/** Logs a named output on the innermost task (or the run). Any value is accepted and serialised. */
export function logOutput(name: string, value: unknown, target: LogTarget = {}): void {
  logValue('output', name, value, target)
}

/** Logs several named outputs. */
export function logOutputs(outputs: Record<string, unknown>, target: LogTarget = {}): void {
  for (const [name, value] of Object.entries(outputs)) logValue('output', name, value, target)
}

/** Sets a run parameter (recorded in `runs.params`). */
export function logParam(key: string, value: unknown): void {
  activeRun()?.logParam(key, value)
}

/** Sets several run parameters. */
export function logParams(params: Record<string, unknown>): void {
  const run = activeRun()
  for (const [key, value] of Object.entries(params)) run?.logParam(key, value)
}

/** Tags the innermost task, or the run outside tasks. */
export function tag(...tags: string[]): void {
  for (const item of tags) {
    if (typeof item !== 'string' || item === '') {
      throw new TypeError(`strikes: a tag must be a non-empty string, got ${String(item)}`)
    }
  }
  const span = innermostSpan()
  if (span !== undefined) span.addTags(tags)
  else activeRun()?.addTags(tags)
}

/** The innermost task or `taskSpan` of the calling code, or `undefined`. */
export function currentTask(): TaskSpan | undefined {
  return innermostSpan()
}
