/**
 * The change of a metric's average against the previous session's run of the same file, and whether it
 * is a regression: a drop is one, unless lower is better for the key (a cost or latency key, or one whose
 * thresholds all bound it from above — see `stats/metric-direction.ts`).
 */

import { formatNumber, formatSigned } from '../display-format.js'
import type { MetricDirection } from '../stats/metric-direction.js'
import type { MetricChangeView } from './report-model.js'

export { type MetricDirection, metricDirection } from '../stats/metric-direction.js'

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
