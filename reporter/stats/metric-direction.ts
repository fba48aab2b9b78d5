/**
 * Which way a run-level key improves. Lower is better for cost and latency keys (by name, see
 * `cost-latency-keys.ts`) and for keys whose thresholds all bound them from above (`p95 <= 900`); higher
 * is better otherwise. An explicit choice (the CLI's `--lower-is-better` / `--higher-is-better`) wins.
 */
import type { MetricDirection } from './comparison-verdict.js'
import { isCostOrLatencyKey } from './cost-latency-keys.js'

export type { MetricDirection } from './comparison-verdict.js'

/** The direction of `key` given its threshold expressions (if any). */
export function metricDirection(
  key: string,
  thresholds: Readonly<Record<string, readonly string[]>> = {},
): MetricDirection {
  const expressions = (thresholds[key] ?? []).filter((expression) => !/^\s*no\b/i.test(expression))
  if (expressions.length > 0 && expressions.every((expression) => /^\s*\S+\s*<=?\s*\S/.test(expression))) {
    return 'lower-is-better'
  }
  if (expressions.length > 0) return 'higher-is-better'
  return isCostOrLatencyKey(key) ? 'lower-is-better' : 'higher-is-better'
}
