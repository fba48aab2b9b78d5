/**
 * The SciPy reference values (`reference-values.json`, written by `reference-values.py`) and the
 * comparison every statistics test uses: agreement to 1e-9 relative (absolute near zero).
 */
import { readFileSync } from 'node:fs'
import { expect } from 'vitest'

/** A number from the JSON: `null` is NaN, the strings are the infinities. */
export type JsonNumber = number | null | 'Infinity' | '-Infinity'

/** A paired case: both sessions' per-input values and SciPy's figures. */
export interface PairedReference {
  readonly name: string
  readonly baseline: number[]
  readonly candidate: number[]
  readonly mean_diff: number
  readonly se_diff: number
  readonly statistic: number
  readonly df: number
  readonly p_two_sided: number
  readonly p_less: number
  readonly ci95: [number, number]
  readonly ci90: [number, number]
  readonly mde: number
  readonly margin: number
  readonly p_less_margin: number
}

/** An unpaired case (Welch). */
export interface WelchReference {
  readonly name: string
  readonly baseline: number[]
  readonly candidate: number[]
  readonly mean_diff: number
  readonly se_diff: number
  readonly statistic: number
  readonly df: number
  readonly p_two_sided: number
  readonly p_less: number
  readonly ci95: [number, number]
  readonly mde: number
}

/** Everything the script writes. */
export interface ReferenceValues {
  readonly scipy_version: string
  readonly log_gamma: { x: number; value: number }[]
  readonly incomplete_beta: { x: number; a: number; b: number; lower: number; upper: number }[]
  readonly t_cdf: { t: number; df: number; cdf: number; sf: number }[]
  readonly t_ppf: { p: number; df: number; value: JsonNumber }[]
  readonly norm_ppf: { p: number; value: number }[]
  readonly norm_sf: { z: number; value: number }[]
  readonly mde_multiplier: number
  readonly z_975: number
  readonly paired: PairedReference[]
  readonly welch: WelchReference[]
  readonly binomial: { k: number; n: number; two_sided: number; less: number }[]
  readonly wilson: { k: number; n: number; low: number; high: number }[]
  readonly pass_at_k: { n: number; c: number; k: number; pass_at: number; pass_all: number }[]
  readonly holm: { p: number[]; adjusted: number[] }[]
  readonly t_interval: {
    name: string
    values: number[]
    mean: number
    sd: number
    se: number
    ci: [number, number]
  }[]
}

/** The reference values. */
export const REFERENCE = JSON.parse(
  readFileSync(new URL('./reference-values.json', import.meta.url), 'utf8'),
) as ReferenceValues

/** The paired case of that name (fails the test file when the JSON has none). */
export function pairedCase(name: string): PairedReference {
  const found = REFERENCE.paired.find((entry) => entry.name === name)
  if (found === undefined) throw new Error(`reference-values.json has no paired case "${name}"`)
  return found
}

/** A JSON number as a JavaScript number. */
export function jsonNumber(value: JsonNumber): number {
  if (value === null) return Number.NaN
  if (value === 'Infinity') return Number.POSITIVE_INFINITY
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY
  return value
}

/** The relative tolerance the statistics are held to. */
export const RELATIVE = 1e-9

/** Asserts `actual` equals `expected` to 1e-9 relative (1e-9 absolute when |expected| < 1e-300 or is 0). */
export function expectClose(actual: number, expected: number, what: string, relative = RELATIVE): void {
  if (!Number.isFinite(expected)) {
    expect(actual, what).toBe(expected)
    return
  }
  const scale = Math.abs(expected) < 1e-300 ? 1 : Math.abs(expected)
  const error = Math.abs(actual - expected) / scale
  expect(error, `${what}: got ${actual}, SciPy ${expected} (relative error ${error})`).toBeLessThanOrEqual(
    relative,
  )
}
