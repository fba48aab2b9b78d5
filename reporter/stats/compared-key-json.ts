/**
 * A compared key's figures as JSON: the field names `strikes compare --json` documents, numbers that
 * cannot be computed as null. The CLI and the UI both hand these out, so they are written once here.
 */
import type { ComparedKey } from './compare-runs.js'

/** The figures of one compared key, as an entry of `keys` in `strikes compare --json` starts. */
export interface ComparedKeyFigures {
  readonly run: string
  readonly key: string
  readonly n_paired: number
  readonly n_only_baseline: number
  readonly n_only_candidate: number
  readonly baseline_mean: number | null
  readonly candidate_mean: number | null
  readonly mean_diff: number | null
  readonly se_diff: number | null
  readonly ci_low: number | null
  readonly ci_high: number | null
  readonly p_value: number | null
  readonly p_adjusted: number | null
  readonly mde: number | null
  readonly verdict: ComparedKey['verdict']
}

/** A number for JSON: null when unknown or not finite. */
export function jsonNumber(value: number | undefined): number | null {
  return value === undefined || !Number.isFinite(value) ? null : value
}

/** The figures of `key` under their JSON names. */
export function comparedKeyFigures(key: ComparedKey): ComparedKeyFigures {
  return {
    run: key.run,
    key: key.key,
    n_paired: key.nPaired,
    n_only_baseline: key.nOnlyBaseline,
    n_only_candidate: key.nOnlyCandidate,
    baseline_mean: jsonNumber(key.baselineMean),
    candidate_mean: jsonNumber(key.candidateMean),
    mean_diff: jsonNumber(key.meanDiff),
    se_diff: jsonNumber(key.seDiff),
    ci_low: jsonNumber(key.ciLow),
    ci_high: jsonNumber(key.ciHigh),
    p_value: jsonNumber(key.pValue),
    p_adjusted: jsonNumber(key.pAdjusted),
    mde: jsonNumber(key.mde),
    verdict: key.verdict,
  }
}
