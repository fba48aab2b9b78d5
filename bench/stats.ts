/** Summary statistics of repeated measurements. */

/** Median, min and max of a list of numbers. */
export interface Spread {
  readonly median: number
  readonly min: number
  readonly max: number
  readonly runs: number
}

/** Median, min and max of `values` (at least one). */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  const median =
    sorted.length % 2 === 1
      ? (sorted[mid] as number)
      : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return { median, min: sorted[0] as number, max: sorted[sorted.length - 1] as number, runs: sorted.length }
}

/** `median (min–max, n=runs)` with `digits` decimals; a single run prints as `value (n=1)`. */
export function formatSpread(value: Spread, digits = 2): string {
  if (value.runs === 1) return `${value.median.toFixed(digits)} (n=1)`
  return `${value.median.toFixed(digits)} (${value.min.toFixed(digits)}–${value.max.toFixed(digits)}, n=${value.runs})`
}
