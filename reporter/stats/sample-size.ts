/**
 * How much data would detect a change: the minimum detectable effect of a comparison, MDE = (z₀.₉₅ +
 * z₀.₈) · SE (one-sided 5%, power 80%), and, for a change δ it did not detect, the number of inputs
 * n = (z₀.₉₅ + z₀.₈)² σ_d² / δ² — or the number of trials per input — that would.
 */
import { MDE_MULTIPLIER } from './normal-distribution.js'

/** The minimum detectable effect of a comparison with standard error `se`. */
export function minimumDetectableEffect(se: number): number {
  return MDE_MULTIPLIER * se
}

/**
 * Inputs that would detect a change of `delta` with 80% power at one-sided 5%, given the spread `sd` of
 * the per-input differences (or, unpaired, √(σ²_baseline + σ²_candidate) for that many inputs per
 * side).
 */
export function inputsToDetect(sd: number, delta: number): number | undefined {
  if (!(Math.abs(delta) > 0) || !Number.isFinite(sd)) return undefined
  return Math.max(2, Math.ceil((MDE_MULTIPLIER * sd) ** 2 / delta ** 2))
}

/** What is known of the trial noise of a paired comparison. */
export interface TrialNoise {
  /** Paired inputs. */
  readonly n: number
  /** Variance of the per-input differences observed. */
  readonly varianceDiff: number
  /** Mean within-input variance of the trials, per side. */
  readonly withinBaseline: number
  readonly withinCandidate: number
  /** Mean number of trials per input, per side. */
  readonly trialsBaseline: number
  readonly trialsCandidate: number
}

/**
 * Trials per input (on both sides, with the inputs there are) that would detect `delta`: the share of
 * σ_d² that is trial noise shrinks as 1/K while the rest does not. `undefined` when fewer than 2 trials
 * per input leave the trial noise unknown, or when no number of trials would do (more inputs are needed).
 */
export function trialsToDetect(noise: TrialNoise, delta: number): number | undefined {
  if (noise.trialsBaseline < 2 || noise.trialsCandidate < 2 || !(Math.abs(delta) > 0)) return undefined
  const within = noise.withinBaseline + noise.withinCandidate
  if (!(within > 0)) return undefined
  const allowed = (noise.n * delta ** 2) / MDE_MULTIPLIER ** 2
  const fixed =
    noise.varianceDiff -
    noise.withinBaseline / noise.trialsBaseline -
    noise.withinCandidate / noise.trialsCandidate
  const room = allowed - Math.max(0, fixed)
  if (!(room > 0)) return undefined
  return Math.max(2, Math.ceil(within / room))
}
