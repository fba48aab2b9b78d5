/**
 * The comparison of one key between two runs, from its summary: the paired t-test over the inputs present
 * in both (the exact McNemar test for 0/1 scores with one trial), or — when either side lacks input keys,
 * so inputs cannot be matched — Welch's unpaired test, labelled as such. Gives the difference with its 95%
 * interval, the two-sided p-value, the minimum detectable effect, and notes on anything left out.
 */
import { binomialTestTwoSided } from './binomial-test.js'
import type { KeySummary, SideSummary } from './key-summaries.js'
import { minimumDetectableEffect } from './sample-size.js'
import { pairedEstimate, type TEstimate, tInterval, tTestTwoSided, welchEstimate } from './t-test.js'

/** How a key was compared. */
export type ComparisonMethod = 'paired t' | 'McNemar' | 'Welch' | 'none'

/** The figures of one key (before the Holm correction across keys). */
export interface KeyComparison {
  readonly method: ComparisonMethod
  readonly nPaired: number
  readonly nOnlyBaseline: number
  readonly nOnlyCandidate: number
  /** Means over the paired inputs (over all inputs of each side for Welch). */
  readonly baselineMean: number | undefined
  readonly candidateMean: number | undefined
  /** candidate − baseline. */
  readonly meanDiff: number | undefined
  readonly seDiff: number | undefined
  readonly df: number | undefined
  readonly ciLow: number | undefined
  readonly ciHigh: number | undefined
  readonly pValue: number | undefined
  readonly mde: number | undefined
  /** The spread the needed number of inputs is computed from (σ_d, or √(σ²_b + σ²_c) unpaired). */
  readonly sdDiff: number | undefined
  /** At least 2 paired inputs (2 per side unpaired) and finite figures. */
  readonly sufficient: boolean
  /** Sentences on what was left out or why the figures are what they are. */
  readonly notes: readonly string[]
}

/** How the comparison is made: the estimate it rests on, and how. */
export interface ComparisonBasis {
  readonly method: ComparisonMethod
  readonly estimate: TEstimate | undefined
  readonly sdDiff: number | undefined
  readonly notes: string[]
}

/** Chooses paired or unpaired statistics for a key and builds the estimate (shared with the gates). */
export function comparisonBasis(summary: KeySummary): ComparisonBasis {
  const { baseline, candidate, paired } = summary
  const notes = leftOutNotes(summary)
  if (baseline === undefined || baseline.n === 0 || candidate === undefined || candidate.n === 0) {
    const missing = baseline === undefined || baseline.n === 0 ? 'baseline' : 'candidate'
    notes.push(
      (missing === 'baseline' ? baseline : candidate) === undefined
        ? `only in the ${missing === 'baseline' ? 'candidate' : 'baseline'}: ` +
            `the ${missing} did not record this key`
        : `the ${missing} has no usable point of this key`,
    )
    return { method: 'none', estimate: undefined, sdDiff: undefined, notes }
  }
  const keyed = baseline.keyed === baseline.n && candidate.keyed === candidate.n
  if (keyed) {
    const n = paired?.n ?? 0
    const onlyBaseline = baseline.n - n
    const onlyCandidate = candidate.n - n
    if (onlyBaseline > 0 || onlyCandidate > 0) {
      notes.push(
        `${onlyBaseline} input${onlyBaseline === 1 ? '' : 's'} only in the baseline ` +
          `and ${onlyCandidate} only in the candidate are counted, not paired`,
      )
    }
    if (paired === undefined || n < 2) {
      notes.push(`${n} paired input${n === 1 ? '' : 's'}: at least 2 are needed to tell signal from noise`)
      return { method: 'paired t', estimate: undefined, sdDiff: undefined, notes }
    }
    const estimate = pairedEstimate(n, paired.meanDiff, paired.varianceDiff)
    if (estimate.se === 0) notes.push(zeroVarianceNote(paired.meanDiff))
    return {
      method: paired.binarySingleTrial ? 'McNemar' : 'paired t',
      estimate,
      sdDiff: Math.sqrt(Math.max(0, paired.varianceDiff)),
      notes,
    }
  }
  const side = baseline.keyed < baseline.n ? 'baseline' : 'candidate'
  const unkeyed = side === 'baseline' ? baseline : candidate
  notes.push(
    `pairing impossible: ${unkeyed.keyed === 0 ? 'no' : `${unkeyed.n - unkeyed.keyed} of ${unkeyed.n}`} ` +
      `${side} inputs carry an input key (recorded by an older strikes, or logged outside a task); ` +
      'unpaired Welch statistics',
  )
  if (baseline.n < 2 || candidate.n < 2) {
    notes.push('Welch statistics need at least 2 inputs on each side')
    return { method: 'Welch', estimate: undefined, sdDiff: undefined, notes }
  }
  const estimate = welchEstimate(moments(baseline), moments(candidate))
  if (estimate.se === 0) notes.push(zeroVarianceNote(estimate.estimate))
  return {
    method: 'Welch',
    estimate,
    sdDiff: Math.sqrt(Math.max(0, baseline.variance) + Math.max(0, candidate.variance)),
    notes,
  }
}

/** Compares one key two-sidedly at 95%. */
export function compareKey(summary: KeySummary): KeyComparison {
  const basis = comparisonBasis(summary)
  const { baseline, candidate, paired } = summary
  const notes = basis.notes.length === 0 ? NO_NOTES : basis.notes.map(sharedNote)
  const welch = basis.method === 'Welch'
  const nPaired = welch ? 0 : (paired?.n ?? 0)
  const counts = {
    nPaired,
    nOnlyBaseline: (baseline?.n ?? 0) - nPaired,
    nOnlyCandidate: (candidate?.n ?? 0) - nPaired,
  }
  const means = welch
    ? { baselineMean: baseline?.mean, candidateMean: candidate?.mean }
    : { baselineMean: paired?.baselineMean, candidateMean: paired?.candidateMean }
  const estimate = basis.estimate
  if (estimate === undefined) {
    const meanDiff =
      means.baselineMean !== undefined && means.candidateMean !== undefined && counts.nPaired > 0
        ? means.candidateMean - means.baselineMean
        : undefined
    // Without paired inputs, each side's own mean (a key recorded by one session still shows its mean).
    const ownMean = (side: SideSummary | undefined): number | undefined =>
      side !== undefined && side.n > 0 ? side.mean : undefined
    const pairedMeans = counts.nPaired > 0 || welch
    return {
      method: basis.method,
      nPaired: counts.nPaired,
      nOnlyBaseline: counts.nOnlyBaseline,
      nOnlyCandidate: counts.nOnlyCandidate,
      baselineMean: pairedMeans ? means.baselineMean : ownMean(baseline),
      candidateMean: pairedMeans ? means.candidateMean : ownMean(candidate),
      meanDiff,
      seDiff: undefined,
      df: undefined,
      ciLow: undefined,
      ciHigh: undefined,
      pValue: undefined,
      mde: undefined,
      sdDiff: undefined,
      sufficient: false,
      notes,
    }
  }
  const interval = tInterval(estimate, 0.95)
  const pValue =
    basis.method === 'McNemar' && paired !== undefined
      ? binomialTestTwoSided(paired.oneToZero, paired.oneToZero + paired.zeroToOne)
      : tTestTwoSided(estimate)
  return {
    method: basis.method,
    nPaired: counts.nPaired,
    nOnlyBaseline: counts.nOnlyBaseline,
    nOnlyCandidate: counts.nOnlyCandidate,
    baselineMean: means.baselineMean,
    candidateMean: means.candidateMean,
    meanDiff: estimate.estimate,
    seDiff: estimate.se,
    df: estimate.df,
    ciLow: interval.low,
    ciHigh: interval.high,
    pValue,
    mde: minimumDetectableEffect(estimate.se),
    sdDiff: basis.sdDiff,
    sufficient: Number.isFinite(interval.low) && Number.isFinite(interval.high),
    notes,
  }
}

const NO_NOTES: readonly string[] = Object.freeze([])

/**
 * Notes repeat across keys (a comparison of a million keys may carry the same two notes on each): one
 * string is kept per distinct text, up to a bound, so that they are not held a million times.
 */
const sharedNotes = new Map<string, string>()

function sharedNote(note: string): string {
  const known = sharedNotes.get(note)
  if (known !== undefined) return known
  if (sharedNotes.size < 10_000) sharedNotes.set(note, note)
  return note
}

function moments(side: SideSummary): { n: number; mean: number; variance: number } {
  return { n: side.n, mean: side.mean, variance: side.variance }
}

function zeroVarianceNote(diff: number): string {
  return diff === 0
    ? 'zero variance: every input scored the same in both sessions'
    : `zero variance: every input changed by exactly ${Number(diff.toPrecision(6))}, ` +
        'so the interval is that point'
}

/** Notes on NaN/Infinity points and cached calls left out of either side. */
function leftOutNotes(summary: KeySummary): string[] {
  const notes: string[] = []
  for (const [name, side] of [
    ['baseline', summary.baseline],
    ['candidate', summary.candidate],
  ] as const) {
    if (side === undefined) continue
    if (side.nonFinite > 0) {
      notes.push(
        `${side.nonFinite} NaN/Infinity point${side.nonFinite === 1 ? '' : 's'} of the ${name} left out`,
      )
    }
    if (side.cached > 0) {
      notes.push(
        `${side.cached} point${side.cached === 1 ? '' : 's'} of cached model calls left out of the ${name} ` +
          '(cost and latency)',
      )
    }
  }
  return notes
}
