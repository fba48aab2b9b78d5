/**
 * The change of a metric's average against the previous session's run of the same file, and whether it
 * is a regression: a drop is one, unless the key's thresholds say lower is better.
 */
import { formatNumber, formatSigned } from '../display-format.js'
import type { MetricChangeView } from './report-model.js'

/** Which way a metric improves. */
export type MetricDirection = 'higher-is-better' | 'lower-is-better'

/**
 * The direction of a run-level key: lower is better when it has thresholds and every one bounds it from
 * above (`p95 <= 900`, `avg < 0.1`); otherwise higher is better.
 */
export function metricDirection(
  key: string,
  thresholds: Readonly<Record<string, readonly string[]>>,
): MetricDirection {
  const expressions = thresholds[key]
  if (expressions === undefined || expressions.length === 0) return 'higher-is-better'
  const upperBounds = expressions.every((expression) => /^\s*\S+\s*<=?\s*\S/.test(expression))
  return upperBounds ? 'lower-is-better' : 'higher-is-better'
}

/** Differences smaller than this (relative to the previous value) count as no change. */
const EPSILON = 1e-9

/** Compares a key's average with the previous run's; `undefined` when there is nothing to compare. */
export function metricChange(
  current: number | null,
  previous: number | null | undefined,
  direction: MetricDirection,
): MetricChangeView | undefined {
  if (current === null || previous === null || previous === undefined) return undefined
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return undefined
  const delta = current - previous
  const same = Math.abs(delta) <= EPSILON * Math.max(1, Math.abs(previous))
  const rose = delta > 0
  const regression = !same && (direction === 'higher-is-better' ? !rose : rose)
  const percent = previous !== 0 && !same ? ` (${formatSigned((delta / Math.abs(previous)) * 100)}%)` : ''
  const wording = direction === 'higher-is-better' ? 'higher is better' : 'lower is better'
  const verdict = same ? 'unchanged' : regression ? `regression (${wording})` : `improvement (${wording})`
  return {
    arrow: same ? '=' : rose ? '▲' : '▼',
    delta: same ? '0' : `${formatSigned(delta)}${percent}`,
    previousAvg: formatNumber(previous),
    regression,
    changeClass: same ? 'same' : regression ? 'regression' : 'improvement',
    title: same
      ? `unchanged from ${formatNumber(previous)}`
      : `${rose ? 'up' : 'down'} ${formatNumber(Math.abs(delta))} from ${formatNumber(previous)}: ${verdict}`,
  }
}
