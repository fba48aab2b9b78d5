/**
 * Which run-level keys measure cost or latency: their statistics leave out task calls answered from the
 * response cache (a cached call costs nothing and takes no time, so it would drag both towards zero), and
 * for them lower is better. A key is one when its last dot-separated part ends in `tokens`
 * (`input_tokens`), starts with `cost` (`cost_usd`), contains `latency` or `duration`, or ends in `_ms` or
 * `_seconds`. Letter case is ignored.
 */

/** The rule as a regular expression over the whole key (DuckDB's RE2 and JavaScript read it alike). */
export const COST_LATENCY_PATTERN =
  '(^|[.])([^.]*tokens|cost[^.]*|[^.]*latency[^.]*|[^.]*duration[^.]*|[^.]*_ms|[^.]*_seconds)$'

const pattern = new RegExp(COST_LATENCY_PATTERN)

/** True when `key` measures cost or latency. */
export function isCostOrLatencyKey(key: string): boolean {
  return pattern.test(key.toLowerCase())
}

/** The SQL condition that is true when the key in column `column` measures cost or latency. */
export function costOrLatencySql(column: string): string {
  return `regexp_matches(lower(${column}), '${COST_LATENCY_PATTERN}')`
}

/** The span attribute a model call answered from the response cache carries (`strikes/ai`). */
export const CACHE_HIT_ATTRIBUTE = 'strikes.cache.hit'
