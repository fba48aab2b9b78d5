/**
 * The statistical figures of a gate row — for `no regression` the difference with its interval, the
 * one-sided p-value, the minimum detectable effect and how many inputs (or trials) would detect the
 * margin; for `ci_low`, `ci_high`, `pass_at(k)` and `pass_all(k)` the estimate with its interval — and how
 * the gate table and messages write them.
 */
import type { MetricDirection } from '../stats/comparison-verdict.js'
import { formatGateNumber } from './gate-numbers.js'

/** Figures stored with a gate row (`gates.estimate`, `ci_low`, … `method`). */
export interface GateStatistics {
  /**
   * The mean difference candidate − baseline (no regression) or the mean (interval and trial aggregates).
   */
  readonly estimate: number | undefined
  readonly ciLow: number | undefined
  readonly ciHigh: number | undefined
  /** 0.9 for no regression (its upper end is the one-sided 95% bound), 0.95 otherwise. */
  readonly ciLevel: number
  /** One-sided p-value of no regression. */
  readonly pValue: number | undefined
  readonly mde: number | undefined
  /** Inputs the figures rest on (paired inputs; the candidate's inputs unpaired). */
  readonly nInputs: number
  /** Inputs (per side, unpaired) that would detect the margin, or the drop observed. */
  readonly nNeeded: number | undefined
  /** Trials per input that would, with the inputs there are. */
  readonly trialsNeeded: number | undefined
  /** `paired t`, `McNemar`, `Welch`, `t` or `Wilson`. */
  readonly method: string
  /** Which way the key improves (no regression). */
  readonly direction: MetricDirection | undefined
  /**
   * Passed without telling: a drop not called significant, or a margin below the minimum detectable effect.
   */
  readonly withinNoise: boolean
}

/** `−0.012 [−0.041, 0.017]`: an estimate with its interval. */
export function formatEstimate(statistics: GateStatistics, prefix = ''): string {
  const estimate = `${prefix}${signed(statistics.estimate, prefix !== '')}`
  if (statistics.ciLow === undefined || statistics.ciHigh === undefined) return estimate
  const signPrefixed = prefix !== ''
  return `${estimate} [${signed(statistics.ciLow, signPrefixed)}, ${signed(statistics.ciHigh, signPrefixed)}]`
}

/** The p-value as the table writes it: 4 decimals, `<0.0001` below that. */
export function formatPValue(p: number | undefined): string {
  if (p === undefined || Number.isNaN(p)) return '—'
  return p < 0.0001 ? '<0.0001' : p.toFixed(4)
}

/** What would detect the change: `370 inputs (or 6 trials per input) would detect a drop of 0.012`. */
export function formatNeeded(statistics: GateStatistics, change: string): string | undefined {
  if (statistics.nNeeded === undefined) return undefined
  const per = statistics.method === 'Welch' ? ' per session' : ''
  const trials =
    statistics.trialsNeeded === undefined ? '' : ` (or ${statistics.trialsNeeded} trials per input)`
  return `~${statistics.nNeeded} inputs${per}${trials} would detect ${change}`
}

/** The detail the gate table shows for a statistical row. */
export function statisticsDetail(statistics: GateStatistics, message: string): string {
  if (statistics.pValue === undefined) return message
  const parts = [`p ${formatPValue(statistics.pValue)}`]
  if (statistics.mde !== undefined) parts.push(`MDE ${formatGateNumber(statistics.mde)}`)
  parts.push(`${statistics.method}, n ${statistics.nInputs}`)
  const noise = /within noise(: [^;]*)?/.exec(message)?.[0]
  if (noise !== undefined) parts.push(noise)
  return parts.join(' · ')
}

function signed(value: number | undefined, always: boolean): string {
  if (value === undefined || Number.isNaN(value)) return '—'
  return `${always && value > 0 ? '+' : ''}${formatGateNumber(value)}`
}
