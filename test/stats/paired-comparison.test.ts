/**
 * Comparing two sessions through a real database: the pairing SQL and the statistics agree with SciPy to
 * 1e-9 — the paired t-test (`ttest_rel`: difference, SE, 95% interval, two-sided p, one-sided p with and
 * without a margin, 90% interval), Welch's test (`ttest_ind(equal_var=False)`) when input keys are missing,
 * and the exact McNemar test (`binomtest`) for 0/1 scores — and bad input gets a clear note.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { compareKey } from '../../reporter/stats/key-comparison.js'
import { type KeySummary, loadKeySummaries, type SideSummary } from '../../reporter/stats/key-summaries.js'
import { regressionTest } from '../../reporter/stats/regression-test.js'
import { intervalOfSide } from '../../reporter/stats/run-intervals.js'
import { type Database, openDatabase } from '../../reporter/store/database.js'
import { type SeedPoint, type SeedRun, seedDatabase } from '../gate/seed-database.js'
import { copyAtSchemaVersion } from '../helpers/older-schema.js'
import { expectClose, REFERENCE } from './reference-values.js'

const KEY = 'task.score'

function withKeys(values: readonly number[]): SeedPoint[] {
  return values.map((value, index) => ({ input: `input-${index}`, value }))
}

function withoutKeys(values: readonly number[]): SeedPoint[] {
  return values.map((value) => ({ value }))
}

/** Runs named `name` in both sessions, each with its points of KEY. */
interface Case {
  readonly name: string
  readonly baseline: readonly SeedPoint[]
  readonly candidate: readonly SeedPoint[]
}

/** One database holding every case as a file recorded in two sessions; summaries keyed by file name. */
async function summariesOf(cases: readonly Case[]): Promise<Map<string, KeySummary>> {
  const run = (entry: Case, side: 'baseline' | 'candidate'): SeedRun => ({
    name: entry.name,
    points: { [KEY]: entry[side] },
  })
  const path = await seedDatabase([
    { id: 'baseline', runs: cases.map((entry) => run(entry, 'baseline')) },
    { id: 'candidate', runs: cases.map((entry) => run(entry, 'candidate')) },
  ])
  const database: Database = await openDatabase(path, { readOnly: true })
  try {
    const pairs = cases.map((entry) => ({
      baselineRunId: `baseline/p/${entry.name}`,
      candidateRunId: `candidate/p/${entry.name}`,
    }))
    const summaries = await loadKeySummaries(database, pairs, { topInputs: 3 })
    return new Map(summaries.map((summary) => [cases[summary.pair]?.name as string, summary]))
  } finally {
    database.close()
  }
}

describe('the paired t-test agrees with scipy.stats.ttest_rel', () => {
  let summaries: Map<string, KeySummary>
  beforeAll(async () => {
    summaries = await summariesOf(
      REFERENCE.paired.map((reference, index) => ({
        name: `paired-${index}.eval.ts`,
        baseline: withKeys(reference.baseline),
        candidate: withKeys(reference.candidate),
      })),
    )
  })

  it.each(REFERENCE.paired.map((reference, index) => [reference.name, index, reference] as const))(
    '%s: difference, SE, interval at 95, two-sided p and MDE',
    (_name, index, reference) => {
      const comparison = compareKey(summaries.get(`paired-${index}.eval.ts`) as KeySummary)
      expect(comparison).toMatchObject({
        method: 'paired t',
        nPaired: reference.baseline.length,
        sufficient: true,
      })
      expectClose(comparison.meanDiff as number, reference.mean_diff, 'mean_diff')
      expectClose(comparison.seDiff as number, reference.se_diff, 'se_diff')
      expectClose(comparison.df as number, reference.df, 'df')
      expectClose(comparison.ciLow as number, reference.ci95[0], 'ci_low')
      expectClose(comparison.ciHigh as number, reference.ci95[1], 'ci_high')
      expectClose(comparison.pValue as number, reference.p_two_sided, 'p_value')
      expectClose(comparison.mde as number, reference.mde, 'mde')
    },
  )

  it.each(REFERENCE.paired.map((reference, index) => [reference.name, index, reference] as const))(
    '%s: the no-regression test is the one-sided ttest_rel (with and without a margin) and shows the interval at 90',
    (_name, index, reference) => {
      const summary = summaries.get(`paired-${index}.eval.ts`) as KeySummary
      const plain = regressionTest(summary, 'higher-is-better')
      expectClose(plain.pValue as number, reference.p_less, 'p_less')
      expect(plain.regressed).toBe(reference.p_less < 0.05)
      expectClose(plain.ciLow as number, reference.ci90[0], 'ci90 low')
      expectClose(plain.ciHigh as number, reference.ci90[1], 'ci90 high')
      const beyond = regressionTest(summary, 'higher-is-better', reference.margin)
      expectClose(beyond.pValue as number, reference.p_less_margin, 'p_less with margin')
    },
  )

  it('for a lower-is-better key the one-sided test looks the other way', () => {
    const reference = REFERENCE.paired[0]
    if (reference === undefined) throw new Error('missing case')
    const summary = summaries.get('paired-0.eval.ts') as KeySummary
    const lower = regressionTest(summary, 'lower-is-better')
    expectClose(lower.pValue as number, 1 - reference.p_less, 'p of the other tail')
  })
})

describe("Welch's test when inputs cannot be paired agrees with scipy.stats.ttest_ind(equal_var=False)", () => {
  let summaries: Map<string, KeySummary>
  beforeAll(async () => {
    summaries = await summariesOf(
      REFERENCE.welch.map((reference, index) => ({
        name: `welch-${index}.eval.ts`,
        baseline: withoutKeys(reference.baseline),
        candidate: withKeys(reference.candidate),
      })),
    )
  })

  it.each(REFERENCE.welch.map((reference, index) => [reference.name, index, reference] as const))(
    '%s',
    (_name, index, reference) => {
      const summary = summaries.get(`welch-${index}.eval.ts`) as KeySummary
      const comparison = compareKey(summary)
      expect(comparison).toMatchObject({
        method: 'Welch',
        nPaired: 0,
        nOnlyBaseline: reference.baseline.length,
        nOnlyCandidate: reference.candidate.length,
      })
      expect(comparison.notes.join(' ')).toContain(
        'pairing impossible: no baseline inputs carry an input key',
      )
      expect(comparison.notes.join(' ')).toContain('unpaired Welch statistics')
      expectClose(comparison.meanDiff as number, reference.mean_diff, 'mean_diff')
      expectClose(comparison.seDiff as number, reference.se_diff, 'se_diff')
      expectClose(comparison.df as number, reference.df, 'df')
      expectClose(comparison.ciLow as number, reference.ci95[0], 'ci_low')
      expectClose(comparison.ciHigh as number, reference.ci95[1], 'ci_high')
      expectClose(comparison.pValue as number, reference.p_two_sided, 'p_value')
      expectClose(comparison.mde as number, reference.mde, 'mde')
      const gate = regressionTest(summary, 'higher-is-better')
      expect(gate.method).toBe('Welch')
      expectClose(gate.pValue as number, reference.p_less, 'p_less')
    },
  )
})

describe('the exact McNemar test for 0/1 scores with one trial agrees with scipy.stats.binomtest', () => {
  it.each(
    REFERENCE.binomial
      .filter((entry) => entry.n >= 5 && entry.n <= 100)
      .map((entry) => [entry.k, entry.n, entry] as const),
  )('%i of %i discordant inputs improved', async (k, n, reference) => {
    // k inputs went 0 → 1, n − k went 1 → 0, and 7 stayed at 1.
    const baseline = [...Array(k).fill(0), ...Array(n - k).fill(1), ...Array(7).fill(1)]
    const candidate = [...Array(k).fill(1), ...Array(n - k).fill(0), ...Array(7).fill(1)]
    const summary = (
      await summariesOf([
        { name: 'mcnemar.eval.ts', baseline: withKeys(baseline), candidate: withKeys(candidate) },
      ])
    ).get('mcnemar.eval.ts') as KeySummary
    const comparison = compareKey(summary)
    expect(comparison.method).toBe('McNemar')
    expectClose(comparison.pValue as number, reference.two_sided, 'two-sided McNemar p')
    const gate = regressionTest(summary, 'higher-is-better')
    expect(gate.method).toBe('McNemar')
    expectClose(gate.pValue as number, reference.less, 'one-sided McNemar p')
    // With a margin the exact test does not apply: the paired t-test is used.
    expect(regressionTest(summary, 'higher-is-better', 0.1).method).toBe('paired t')
  })
})

describe('bad input is compared on what is usable, with a note saying what was not', () => {
  let summaries: Map<string, KeySummary>
  beforeAll(async () => {
    summaries = await summariesOf([
      {
        name: 'nonfinite.eval.ts',
        baseline: [...withKeys([0.5, 0.6, 0.7]), { input: 'x', value: Number.NaN }],
        candidate: [...withKeys([0.4, 0.6, 0.6]), { input: 'y', value: Number.POSITIVE_INFINITY }],
      },
      {
        name: 'one-sided.eval.ts',
        baseline: withKeys([0.5, 0.6, 0.7, 0.8]),
        candidate: [...withKeys([0.5, 0.6]), { input: 'new-1', value: 1 }],
      },
      {
        name: 'zero-variance.eval.ts',
        baseline: withKeys([0.5, 0.6, 0.7]),
        candidate: withKeys([0.4, 0.5, 0.6]),
      },
      {
        name: 'unchanged.eval.ts',
        baseline: withKeys([0.5, 0.6, 0.7]),
        candidate: withKeys([0.5, 0.6, 0.7]),
      },
      { name: 'single.eval.ts', baseline: withKeys([0.5]), candidate: withKeys([0.9]) },
      { name: 'only-baseline.eval.ts', baseline: withKeys([0.5, 0.6]), candidate: [] },
    ])
  })

  it('NaN and Infinity points are left out, counted in a note, and the rest is compared', () => {
    const comparison = compareKey(summaries.get('nonfinite.eval.ts') as KeySummary)
    expect(comparison).toMatchObject({ nPaired: 3, sufficient: true })
    expect(comparison.notes).toEqual([
      '1 NaN/Infinity point of the baseline left out',
      '1 NaN/Infinity point of the candidate left out',
    ])
  })

  it('inputs present on one side only are counted, not paired', () => {
    const comparison = compareKey(summaries.get('one-sided.eval.ts') as KeySummary)
    expect(comparison).toMatchObject({ nPaired: 2, nOnlyBaseline: 2, nOnlyCandidate: 1 })
    expect(comparison.notes).toContain(
      '2 inputs only in the baseline and 1 only in the candidate are counted, not paired',
    )
  })

  it('zero variance of the differences gives a point interval, p = 0, and says so', () => {
    const comparison = compareKey(summaries.get('zero-variance.eval.ts') as KeySummary)
    expect(comparison.seDiff).toBe(0)
    expect(comparison.pValue).toBe(0)
    expect(comparison.ciLow).toBeCloseTo(-0.1, 12)
    expect(comparison.ciHigh).toBeCloseTo(-0.1, 12)
    expect(comparison.notes.join(' ')).toMatch(/zero variance: every input changed by exactly -0\.1/)
    const unchanged = compareKey(summaries.get('unchanged.eval.ts') as KeySummary)
    expect(unchanged).toMatchObject({ meanDiff: 0, pValue: 1, ciLow: 0, ciHigh: 0 })
    expect(unchanged.notes).toContain('zero variance: every input scored the same in both sessions')
  })

  it('a single paired input is insufficient data, with the reason', () => {
    const comparison = compareKey(summaries.get('single.eval.ts') as KeySummary)
    expect(comparison).toMatchObject({ sufficient: false, nPaired: 1, pValue: undefined, ciLow: undefined })
    expect(comparison.meanDiff).toBeCloseTo(0.4, 12)
    expect(comparison.notes).toContain('1 paired input: at least 2 are needed to tell signal from noise')
    expect(regressionTest(summaries.get('single.eval.ts') as KeySummary, 'higher-is-better').tested).toBe(
      false,
    )
  })

  it('a key only one session recorded is insufficient data and says which', () => {
    const comparison = compareKey(summaries.get('only-baseline.eval.ts') as KeySummary)
    expect(comparison).toMatchObject({ sufficient: false, nPaired: 0, nOnlyBaseline: 2, baselineMean: 0.55 })
    expect(comparison.notes).toContain('only in the baseline: the candidate did not record this key')
  })
})

describe('a database written before input keys existed (no spans.input_key column)', () => {
  it('opens read-only, compares unpaired with Welch, and says pairing is impossible', async () => {
    const current = await seedDatabase([
      { id: 'old', runs: [{ name: 'a.eval.ts', points: { [KEY]: withKeys([0.5, 0.6, 0.7, 0.8]) } }] },
      { id: 'new', runs: [{ name: 'a.eval.ts', points: { [KEY]: withKeys([0.4, 0.5, 0.6, 0.7]) } }] },
    ])
    // A schema-2 database: spans have no input_key or trial columns.
    const path = await copyAtSchemaVersion(current, 2)
    const database = await openDatabase(path, { readOnly: true })
    try {
      const [summary] = await loadKeySummaries(database, [
        { baselineRunId: 'old/p/a.eval.ts', candidateRunId: 'new/p/a.eval.ts' },
      ])
      const comparison = compareKey(summary as KeySummary)
      expect(comparison.method).toBe('Welch')
      expect(comparison.meanDiff).toBeCloseTo(-0.1, 12)
      expect(comparison.notes.join(' ')).toContain('pairing impossible')
    } finally {
      database.close()
    }
  })
})

describe('one definition of inputs, two queries', () => {
  it("the comparison's per-run figures equal metric_stats for keyed, unkeyed, multi-trial, multi-point, NaN and cached points", async () => {
    const mixed = (shift: number): Record<string, SeedPoint[]> => ({
      // Three trials per input, one of them with two points of the key (averaged within the call).
      'task.score': ['a', 'b', 'c', 'd'].flatMap((input, index) => [
        { input, trial: 0, value: 0.1 * index + shift },
        { input, trial: 1, value: 0.2 + shift, call: `${input}-1` },
        { input, trial: 1, value: 0.4 + shift, call: `${input}-1` },
        { input, trial: 2, value: index === 3 ? Number.NaN : 0.3 * index },
      ]),
      // Summed per call (a cost key), one call cached.
      'task.cost_usd': ['a', 'b', 'c'].flatMap((input, index) => [
        { input, value: 0.01 + shift, call: `cost-${input}` },
        { input, value: 0.02, call: `cost-${input}`, cached: index === 2 },
      ]),
      // Without input keys.
      'task.latency': [{ value: 10 + shift }, { value: 12 }, { value: 15 }],
      // 0/1 per input (Wilson), one input with two agreeing trials.
      'task.correct': [
        { input: 'a', value: 1 },
        { input: 'b', value: shift > 0 ? 1 : 0 },
        { input: 'c', trial: 0, value: 1 },
        { input: 'c', trial: 1, value: 1 },
      ],
    })
    const path = await seedDatabase([
      { id: 'one', runs: [{ name: 'a.eval.ts', points: mixed(0), series: { total: [1, 2, 3] } }] },
      { id: 'two', runs: [{ name: 'a.eval.ts', points: mixed(0.05), series: { total: [2, 2] } }] },
    ])
    const database = await openDatabase(path, { readOnly: true })
    try {
      const stats = await database.query<{
        run_id: string
        name: string
        n_inputs: bigint
        mean: number
        sd: number | null
        ci_low: number | null
        ci_high: number | null
        interval: string | null
        n_nonfinite: bigint
        n_cached: bigint
      }>(
        `SELECT run_id, name, n_inputs, mean, sd, ci_low, ci_high, interval, n_nonfinite, n_cached
         FROM metric_stats WHERE reducer = 'mean'`,
      )
      const summaries = await loadKeySummaries(database, [
        { baselineRunId: 'one/p/a.eval.ts', candidateRunId: 'two/p/a.eval.ts' },
      ])
      expect(summaries.map((summary) => summary.key).sort()).toEqual([
        'task.correct',
        'task.cost_usd',
        'task.latency',
        'task.score',
        'total',
      ])
      for (const summary of summaries) {
        for (const [side, runId] of [
          [summary.baseline, 'one/p/a.eval.ts'],
          [summary.candidate, 'two/p/a.eval.ts'],
        ] as const) {
          const row = stats.find((entry) => entry.run_id === runId && entry.name === summary.key)
          expect(side?.n, `${summary.key} ${runId}`).toBe(Number(row?.n_inputs))
          expect(side?.mean).toBeCloseTo(row?.mean as number, 12)
          if (row?.sd !== null) expect(Math.sqrt(side?.variance as number)).toBeCloseTo(row?.sd as number, 12)
          expect(side?.nonFinite).toBe(Number(row?.n_nonfinite))
          expect(side?.cached).toBe(Number(row?.n_cached))
          // The report's intervals come from the summaries: they must be metric_stats' intervals.
          const interval = intervalOfSide(runId, summary.key, side as SideSummary)
          expect(interval.interval ?? null).toBe(row?.interval ?? null)
          if (row?.ci_low !== null && row?.ci_low !== undefined) {
            expectClose(interval.ciLow as number, row.ci_low, `${summary.key} ci_low`)
            expectClose(interval.ciHigh as number, row.ci_high as number, `${summary.key} ci_high`)
          }
        }
      }
    } finally {
      database.close()
    }
  })
})
