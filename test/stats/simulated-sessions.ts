/**
 * Simulated session pairs for the statistics, in process: a seeded generator (mulberry32 with Box–Muller
 * normals) and the summary the pairing query would return for two sessions' per-input values — the same
 * moments, computed here so a thousand pairs take milliseconds instead of a thousand databases.
 */
import type { KeySummary, SideSummary } from '../../reporter/stats/key-summaries.js'

/** A seeded uniform generator on [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw from a uniform generator (Box–Muller). */
export function normalDraw(random: () => number): number {
  const u = 1 - random()
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Sample mean and variance (n − 1), two-pass. */
function moments(values: readonly number[]): { mean: number; variance: number } {
  const mean = values.reduce((sum, value) => sum + value, 0) / values.length
  const variance = values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)
  return { mean, variance }
}

function side(values: readonly number[]): SideSummary {
  const { mean, variance } = moments(values)
  return {
    n: values.length,
    mean,
    variance,
    keyed: values.length,
    points: values.length,
    maxTrials: 1,
    binarySingleTrial: false,
    binaryMeans: false,
    nonFinite: 0,
    cached: 0,
  }
}

/** The summary of one key of two sessions whose inputs are paired index by index (one trial each). */
export function pairedSummary(baseline: readonly number[], candidate: readonly number[]): KeySummary {
  const diffs = candidate.map((value, index) => value - (baseline[index] as number))
  const { mean, variance } = moments(diffs)
  return {
    pair: 0,
    key: 'task.score',
    baseline: side(baseline),
    candidate: side(candidate),
    paired: {
      n: diffs.length,
      meanDiff: mean,
      varianceDiff: variance,
      baselineMean: moments(baseline).mean,
      candidateMean: moments(candidate).mean,
      oneToZero: 0,
      zeroToOne: 0,
      binarySingleTrial: false,
      withinBaseline: Number.NaN,
      withinCandidate: Number.NaN,
      trialsBaseline: 1,
      trialsCandidate: 1,
    },
    changed: [],
  }
}

/**
 * One simulated pair of sessions over `inputs` inputs: each input has a true quality (uniform on
 * 0.3–0.9), each session scores it with Gaussian noise of `noise`, the candidate `drop` lower.
 */
export function simulatePair(
  random: () => number,
  inputs: number,
  noise: number,
  drop: number,
): { baseline: number[]; candidate: number[] } {
  const baseline: number[] = []
  const candidate: number[] = []
  for (let index = 0; index < inputs; index++) {
    const quality = 0.3 + 0.6 * random()
    baseline.push(quality + noise * normalDraw(random))
    candidate.push(quality - drop + noise * normalDraw(random))
  }
  return { baseline, candidate }
}
