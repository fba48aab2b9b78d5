/**
 * Numbers in gate messages and tables: 4 significant digits, as the summary shows them, but never so
 * few that an observed value and the value it failed against print the same (`0.79996` vs `0.8`).
 */
import { formatNumber } from '../display-format.js'
import { approximatelyEqual } from './evaluate-threshold.js'

/** `observed` and `expected` formatted so that differing values look different; `—` for an absent value. */
export function formatComparedNumbers(
  observed: number | undefined,
  expected: number | undefined,
): [observed: string, expected: string] {
  if (observed === undefined || expected === undefined)
    return [formatGateNumber(observed), formatGateNumber(expected)]
  let precision = 4
  const at = (value: number): string =>
    Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(precision)))
  while (precision < 17 && !approximatelyEqual(observed, expected) && at(observed) === at(expected))
    precision++
  return [at(observed), at(expected)]
}

/** One number as the summary shows it; `—` when absent. */
export function formatGateNumber(value: number | undefined): string {
  return value === undefined ? '—' : formatNumber(value)
}
