/**
 * Gates over a recorded session: aggregates of the run-level raw values, per run; "no data" for a key no
 * run recorded; baselines from the previous run of the same file or a chosen session; results recorded.
 */
import { describe, expect, it } from 'vitest'
import { evaluateGates, type GateResult } from '../../reporter/gate/evaluate-gates.js'
import { parseGate } from '../../reporter/gate/gate-definition.js'
import { formatGateTable } from '../../reporter/gate/gate-table.js'
import { evaluateSessionGates } from '../../reporter/gate/session-gates.js'
import { MDE_MULTIPLIER } from '../../reporter/stats/normal-distribution.js'
import { passAllK, passAtK } from '../../reporter/stats/pass-at-k.js'
import { openDatabase } from '../../reporter/store/database.js'
import { resolveOptions } from '../../reporter/vitest/options.js'
import { expectClose, type PairedReference, pairedCase, REFERENCE } from '../stats/reference-values.js'
import { type SeedPoint, type SeedSession, seedDatabase } from './seed-database.js'

async function gate(
  sessions: readonly SeedSession[],
  sessionId: string,
  gates: Record<string, string | string[]>,
  options: { baseline?: string; strict?: boolean } = {},
): Promise<GateResult[]> {
  const path = await seedDatabase(sessions)
  const database = await openDatabase(path)
  try {
    const definitions = Object.entries(gates).flatMap(([key, sources]) =>
      (Array.isArray(sources) ? sources : [sources]).map((source) => parseGate(key, source)),
    )
    return await evaluateGates(database, { sessionId, gates: definitions, ...options })
  } finally {
    database.close()
  }
}

describe('aggregates of the run-level series', () => {
  it('avg, mean, min, max, sum, count and pass_rate (share of non-zero points) over raw values', async () => {
    const results = await gate(
      [{ id: 's1', runs: [{ name: 'a.eval.ts', series: { 'c.correct': [1, 0, 1, 1] } }] }],
      's1',
      {
        'c.correct': [
          'avg == 0.75',
          'mean == 0.75',
          'min == 0',
          'max == 1',
          'sum == 3',
          'count == 4',
          'pass_rate == 0.75',
        ],
      },
    )
    expect(results.map((result) => [result.expression, result.observed, result.verdict])).toEqual([
      ['avg == 0.75', 0.75, 'pass'],
      ['mean == 0.75', 0.75, 'pass'],
      ['min == 0', 0, 'pass'],
      ['max == 1', 1, 'pass'],
      ['sum == 3', 3, 'pass'],
      ['count == 4', 4, 'pass'],
      ['pass_rate == 0.75', 0.75, 'pass'],
    ])
  })

  it('percentiles interpolate linearly between points (as metric_summary does)', async () => {
    const results = await gate(
      [{ id: 's1', runs: [{ name: 'a.eval.ts', series: { 't.ms': [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }] }],
      's1',
      { 't.ms': ['p50 == 5.5', 'p90 == 9.1', 'p95 == 9.55', 'p99 == 9.91'] },
    )
    expect(results.map((result) => result.verdict)).toEqual(['pass', 'pass', 'pass', 'pass'])
  })

  it('negative values: pass_rate counts them as passing points (non-zero), sum is exact', async () => {
    const results = await gate(
      [{ id: 's1', runs: [{ name: 'a.eval.ts', series: { k: [-2, 0, 5] } }] }],
      's1',
      {
        k: ['pass_rate < 0.7', 'sum == 3', 'min < 0'],
      },
    )
    expect(results.every((result) => result.passed)).toBe(true)
  })

  it('a failing threshold fails with the observed and expected values', async () => {
    const [result] = await gate(
      [{ id: 's1', runs: [{ name: 'a.eval.ts', series: { q: [0.5, 0.7] } }] }],
      's1',
      {
        q: 'avg >= 0.8',
      },
    )
    expect(result).toMatchObject({
      verdict: 'fail',
      passed: false,
      observed: 0.6,
      expected: 0.8,
      runName: 'a.eval.ts',
    })
    expect(result?.message).toContain('is not >= 0.8')
  })
})

describe('which runs are gated', () => {
  it('every run that recorded the key is gated on its own', async () => {
    const results = await gate(
      [
        {
          id: 's1',
          runs: [
            { name: 'a.eval.ts', series: { q: [1] } },
            { name: 'b.eval.ts', series: { q: [0] } },
            { name: 'c.eval.ts' },
          ],
        },
      ],
      's1',
      { q: 'avg >= 0.5' },
    )
    expect(results.map((result) => [result.runName, result.verdict])).toEqual([
      ['a.eval.ts', 'pass'],
      ['b.eval.ts', 'fail'],
    ])
  })

  it('a key no run of the session recorded fails as "no data", suggesting a recorded key', async () => {
    const results = await gate(
      [
        { id: 's0', runs: [{ name: 'a.eval.ts', series: { 'summarize.qualty': [1] } }] },
        { id: 's1', runs: [{ name: 'a.eval.ts', series: { 'summarize.quality': [1] } }] },
      ],
      's1',
      { 'summarize.qualty': 'avg >= 0.5' },
    )
    expect(results).toHaveLength(1)
    expect(results[0]).toMatchObject({
      verdict: 'no data',
      passed: false,
      runId: undefined,
      observed: undefined,
    })
    expect(results[0]?.message).toContain('did you mean "summarize.quality"')
  })
})

describe('regression gates', () => {
  const history: SeedSession[] = [
    { id: 'aaaa1111-old', gitSha: 'a'.repeat(40), runs: [{ name: 'a.eval.ts', series: { q: [0.9, 0.9] } }] },
    { id: 'bbbb2222-crashed', runs: [{ name: 'a.eval.ts', status: 'crashed', series: { q: [0.1] } }] },
    {
      id: 'cccc3333-other',
      gitSha: 'c'.repeat(40),
      runs: [
        { name: 'b.eval.ts', series: { q: [0.2] } },
        { name: 'a.eval.ts', project: 'elsewhere', series: { q: [0.3] } },
      ],
    },
    { id: 'dddd4444-current', runs: [{ name: 'a.eval.ts', series: { q: [0.8, 0.8] } }] },
  ]

  it('the baseline is the newest earlier run of the same file and project that recorded the key, never a crashed one', async () => {
    const [result] = await gate(history, 'dddd4444-current', { q: 'avg >= baseline - 0.05' })
    expect(result).toMatchObject({ verdict: 'fail', baselineSessionId: 'aaaa1111-old', observed: 0.8 })
    expect(result?.expected).toBeCloseTo(0.85, 12)
    expect(result?.message).toContain('baseline 0.9')
  })

  it('baseline * factor and a passing regression gate', async () => {
    const [result] = await gate(history, 'dddd4444-current', { q: 'avg >= baseline * 0.85' })
    expect(result).toMatchObject({ verdict: 'pass', passed: true, baselineSessionId: 'aaaa1111-old' })
  })

  it('without any earlier run the gate says "no baseline" and passes', async () => {
    const [result] = await gate(history.slice(0, 1), 'aaaa1111-old', { q: 'avg >= baseline' })
    expect(result).toMatchObject({ verdict: 'no baseline', passed: true, expected: undefined })
    expect(result?.message).toContain('no earlier run of a.eval.ts')
  })

  it('strict makes "no baseline" fail', async () => {
    const [result] = await gate(
      history.slice(0, 1),
      'aaaa1111-old',
      { q: 'avg >= baseline' },
      { strict: true },
    )
    expect(result).toMatchObject({ verdict: 'no baseline', passed: false })
  })

  it.each([
    ['aaaa1111-old', 'aaaa1111-old'],
    ['aaaa', 'aaaa1111-old'],
    ['a'.repeat(40), 'aaaa1111-old'],
    ['aaaaaaa', 'aaaa1111-old'],
  ])('an explicit baseline %j (session id, prefix or git sha) selects %s', async (reference, expected) => {
    const [result] = await gate(
      history,
      'dddd4444-current',
      { q: 'avg >= baseline' },
      { baseline: reference },
    )
    expect(result).toMatchObject({ baselineSessionId: expected, verdict: 'fail' })
  })

  it('baseline "latest" is the newest session before this one; without a run of the file there is no baseline', async () => {
    const [result] = await gate(history, 'dddd4444-current', { q: 'avg >= baseline' }, { baseline: 'latest' })
    expect(result).toMatchObject({ verdict: 'no baseline', passed: true })
    expect(result?.message).toContain('cccc3333')
  })

  it('a baseline reference that matches no session is "no baseline", failing under strict', async () => {
    const [lenient] = await gate(
      history,
      'dddd4444-current',
      { q: 'avg >= baseline' },
      { baseline: 'nothing-like-it' },
    )
    expect(lenient).toMatchObject({ verdict: 'no baseline', passed: true })
    expect(lenient?.message).toContain('nothing-like-it')
    const [strict] = await gate(
      history,
      'dddd4444-current',
      { q: 'avg >= baseline' },
      { baseline: 'nothing-like-it', strict: true },
    )
    expect(strict).toMatchObject({ verdict: 'no baseline', passed: false })
  })

  it('an explicit baseline session whose run did not record the key gives no baseline', async () => {
    const sessions: SeedSession[] = [
      { id: 'e1', runs: [{ name: 'a.eval.ts', series: { other: [1] } }] },
      { id: 'e2', runs: [{ name: 'a.eval.ts', series: { q: [1] } }] },
    ]
    const [result] = await gate(sessions, 'e2', { q: 'avg >= baseline' }, { baseline: 'e1' })
    expect(result).toMatchObject({ verdict: 'no baseline', baselineSessionId: 'e1' })
  })
})

describe('evaluateSessionGates (the reporter hook)', () => {
  it('records one row per gate and run in gates, replaces them when run again, and returns the verdict and table', async () => {
    const path = await seedDatabase([
      { id: 's1', runs: [{ name: 'a.eval.ts', series: { q: [0.9] } }] },
      { id: 's2', runs: [{ name: 'a.eval.ts', series: { q: [0.7] } }] },
    ])
    const database = await openDatabase(path)
    try {
      const options = resolveOptions({
        thresholds: { q: ['avg >= 0.5', 'avg >= baseline'], missing: 'count > 0' },
      })
      const first = await evaluateSessionGates(database, { sessionId: 's2', options })
      const again = await evaluateSessionGates(database, { sessionId: 's2', options })
      expect(first.passed).toBe(false)
      expect(again.passed).toBe(false)
      expect(first.lines.join('\n')).toContain('no data')
      const rows = await database.query<Record<string, unknown>>(
        `SELECT key, expression, run_id, observed, expected, baseline_session_id, verdict, passed
         FROM gates WHERE session_id = 's2' ORDER BY seq`,
      )
      expect(rows).toEqual([
        {
          key: 'q',
          expression: 'avg >= 0.5',
          run_id: 's2/p/a.eval.ts',
          observed: 0.7,
          expected: 0.5,
          baseline_session_id: null,
          verdict: 'pass',
          passed: true,
        },
        {
          key: 'q',
          expression: 'avg >= baseline',
          run_id: 's2/p/a.eval.ts',
          observed: 0.7,
          expected: 0.9,
          baseline_session_id: 's1',
          verdict: 'fail',
          passed: false,
        },
        {
          key: 'missing',
          expression: 'count > 0',
          run_id: null,
          observed: null,
          expected: null,
          baseline_session_id: null,
          verdict: 'no data',
          passed: false,
        },
      ])
    } finally {
      database.close()
    }
  })

  it('without thresholds nothing is evaluated or recorded and the verdict is undefined', async () => {
    const path = await seedDatabase([{ id: 's1', runs: [{ name: 'a.eval.ts', series: { q: [0.9] } }] }])
    const database = await openDatabase(path)
    try {
      const outcome = await evaluateSessionGates(database, { sessionId: 's1', options: resolveOptions({}) })
      expect(outcome).toEqual({ passed: undefined, lines: [], results: [] })
      const rows = await database.query<{ n: bigint }>('SELECT count(*) AS n FROM gates')
      expect(rows[0]?.n).toBe(0n)
    } finally {
      database.close()
    }
  })
})

describe('no regression (a paired test against the baseline run)', () => {
  const regressed = pairedCase('n=40 noise=0.1 shift=-0.1')
  const noisy = pairedCase('n=40 noise=0.15 shift=0.0')
  const keyed = (values: readonly number[]): SeedPoint[] =>
    values.map((value, index) => ({ input: `input-${index}`, value }))
  const sessions = (reference: PairedReference, key = 'summarize.quality'): SeedSession[] => [
    { id: 's1-baseline', runs: [{ name: 'a.eval.ts', points: { [key]: keyed(reference.baseline) } }] },
    { id: 's2-candidate', runs: [{ name: 'a.eval.ts', points: { [key]: keyed(reference.candidate) } }] },
  ]

  it('fails when the one-sided paired t-test says the candidate is worse, with SciPy figures', async () => {
    const [result] = await gate(sessions(regressed), 's2-candidate', { 'summarize.quality': 'no regression' })
    expect(result).toMatchObject({
      verdict: 'fail',
      passed: false,
      baselineSessionId: 's1-baseline',
      expected: 0,
    })
    expectClose(result?.observed as number, regressed.mean_diff, 'observed difference')
    const statistics = result?.statistics
    expect(statistics).toMatchObject({
      method: 'paired t',
      nInputs: 40,
      ciLevel: 0.9,
      direction: 'higher-is-better',
    })
    expectClose(statistics?.pValue as number, regressed.p_less, 'one-sided p')
    expectClose(statistics?.ciLow as number, regressed.ci90[0], '90% low')
    expectClose(statistics?.ciHigh as number, regressed.ci90[1], '90% high')
    expectClose(statistics?.mde as number, regressed.mde, 'MDE')
    expect(result?.message).toMatch(
      /^significantly worse: Δ -0\.05685 \[-0\.08\d+, -0\.02\d+\] \(90% interval\), one-sided p = 0\.0017/,
    )
  })

  it('passes within noise, saying how many inputs would detect a drop of the size observed', async () => {
    const [result] = await gate(sessions(noisy), 's2-candidate', { 'summarize.quality': 'no regression' })
    expect(result).toMatchObject({ verdict: 'pass', passed: true })
    expectClose(result?.statistics?.pValue as number, noisy.p_less, 'one-sided p')
    const sd = noisy.se_diff * Math.sqrt(noisy.baseline.length)
    const needed = Math.ceil((MDE_MULTIPLIER * sd) ** 2 / noisy.mean_diff ** 2)
    expect(result?.statistics).toMatchObject({ withinNoise: true, nNeeded: needed, trialsNeeded: undefined })
    expect(result?.message).toContain(`within noise: ~${needed} inputs would detect a drop of 0.02192`)
  })

  it('"beyond <margin>" fails only when significantly worse by more than the margin', async () => {
    const [result] = await gate(sessions(regressed), 's2-candidate', {
      'summarize.quality': 'no regression beyond 0.05',
    })
    expectClose(result?.statistics?.pValue as number, regressed.p_less_margin, 'p with margin')
    expect(result).toMatchObject({
      verdict: regressed.p_less_margin < 0.05 ? 'fail' : 'pass',
      expected: -0.05,
    })
    const sd = regressed.se_diff * Math.sqrt(40)
    expect(result?.statistics?.nNeeded).toBe(Math.ceil((MDE_MULTIPLIER * sd) ** 2 / 0.05 ** 2))
  })

  it('for a latency key a rise is the regression', async () => {
    const rising = {
      ...regressed,
      baseline: regressed.candidate.map((value) => value * 1000),
      candidate: regressed.baseline.map((value) => value * 1000),
    }
    const [result] = await gate(sessions(rising, 'summarize.latency_ms'), 's2-candidate', {
      'summarize.latency_ms': 'no regression',
    })
    expect(result).toMatchObject({ verdict: 'fail', expected: 0 })
    expect(result?.statistics?.direction).toBe('lower-is-better')
    expectClose(result?.statistics?.pValue as number, regressed.p_less, 'mirrored one-sided p')
  })

  it('without a baseline it says so and passes unless strict', async () => {
    const first = sessions(regressed).slice(1)
    const [lenient] = await gate(first, 's2-candidate', { 'summarize.quality': 'no regression' })
    expect(lenient).toMatchObject({ verdict: 'no baseline', passed: true })
    expect(lenient?.message).toContain('no earlier run of a.eval.ts recorded summarize.quality')
    const [strict] = await gate(
      first,
      's2-candidate',
      { 'summarize.quality': 'no regression' },
      { strict: true },
    )
    expect(strict).toMatchObject({ verdict: 'no baseline', passed: false })
  })

  it('a single paired input is "insufficient data": passes unless strict, and says why', async () => {
    const single: SeedSession[] = [
      { id: 'x1', runs: [{ name: 'a.eval.ts', points: { q: keyed([0.9]) } }] },
      { id: 'x2', runs: [{ name: 'a.eval.ts', points: { q: keyed([0.1]) } }] },
    ]
    const [lenient] = await gate(single, 'x2', { q: 'no regression' })
    expect(lenient).toMatchObject({ verdict: 'insufficient data', passed: true })
    expect(lenient?.message).toContain('1 paired input: at least 2 are needed')
    const [strict] = await gate(single, 'x2', { q: 'no regression' }, { strict: true })
    expect(strict).toMatchObject({ verdict: 'insufficient data', passed: false })
  })

  it('a baseline recorded without input keys falls back to Welch, labelled', async () => {
    const old: SeedSession[] = [
      {
        id: 'o1',
        runs: [{ name: 'a.eval.ts', points: { q: regressed.baseline.map((value) => ({ value })) } }],
      },
      { id: 'o2', runs: [{ name: 'a.eval.ts', points: { q: keyed(regressed.candidate) } }] },
    ]
    const [result] = await gate(old, 'o2', { q: 'no regression' })
    expect(result?.statistics?.method).toBe('Welch')
    expect(result?.message).toContain('pairing impossible: no baseline inputs carry an input key')
    expect(result?.message).toContain('unpaired Welch statistics')
  })

  it('trials: the note says how many trials per input would detect the drop when trial noise dominates', async () => {
    // 30 inputs × 4 trials, per-input quality differs little across inputs; trial noise is large.
    let seed = 7
    const noise = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31 - 0.5
    }
    const trials = (shift: number): SeedPoint[] =>
      Array.from({ length: 30 }, (_, input) =>
        Array.from({ length: 4 }, (_, trial) => ({
          input: `in-${input}`,
          trial,
          value: 0.6 + shift + noise(),
        })),
      ).flat()
    const [result] = await gate(
      [
        { id: 't1', runs: [{ name: 'a.eval.ts', points: { q: trials(0) } }] },
        { id: 't2', runs: [{ name: 'a.eval.ts', points: { q: trials(-0.02) } }] },
      ],
      't2',
      { q: 'no regression beyond 0.05' },
    )
    expect(result?.verdict).toBe('pass')
    expect(result?.statistics?.trialsNeeded).toBeGreaterThanOrEqual(2)
    expect(result?.message).toMatch(
      /within noise: ~\d+ inputs \(or \d+ trials per input\) would detect a drop of 0\.05/,
    )
  })

  it('the gate table shows Δ with its interval, "no drop", p, MDE and the within-noise note', async () => {
    const results = await gate(sessions(noisy), 's2-candidate', { 'summarize.quality': 'no regression' })
    const row = formatGateTable(results).find((line) => line.includes('no regression')) ?? ''
    expect(row).toMatch(
      /✓ +summarize\.quality +no regression +a\.eval\.ts +Δ -0\.02192 \[-0\.06\d*, \+0\.0\d+\] +no drop +pass +p 0\.2148 · MDE 0\.0\d+ · paired t, n 40 · within noise: ~\d+ inputs would detect a drop of 0\.02192/,
    )
  })

  it('the figures are recorded in the gates table', async () => {
    const path = await seedDatabase(sessions(regressed))
    const database = await openDatabase(path)
    try {
      const options = resolveOptions({ thresholds: { 'summarize.quality': 'no regression' } })
      await evaluateSessionGates(database, { sessionId: 's2-candidate', options })
      const [row] = await database.query<Record<string, unknown>>(
        `SELECT verdict, observed, expected, estimate, ci_low, ci_high, ci_level, p_value, mde, n_inputs, n_needed,
           trials_needed, method FROM gates WHERE session_id = 's2-candidate'`,
      )
      expect(row).toMatchObject({
        verdict: 'fail',
        ci_level: 0.9,
        n_inputs: 40,
        trials_needed: null,
        method: 'paired t',
      })
      expectClose(row?.p_value as number, regressed.p_less, 'stored p')
      expectClose(row?.ci_low as number, regressed.ci90[0], 'stored ci_low')
      expectClose(row?.estimate as number, regressed.mean_diff, 'stored estimate')
    } finally {
      database.close()
    }
  })
})

describe('ci_low, ci_high, pass_at(k), pass_all(k)', () => {
  const reference = REFERENCE.t_interval.find(
    (entry) => entry.name === 'n=40',
  ) as (typeof REFERENCE.t_interval)[number]
  const session = (points: Record<string, readonly SeedPoint[]>): SeedSession[] => [
    { id: 'c1', runs: [{ name: 'a.eval.ts', points }] },
  ]

  it('ci_low and ci_high are the ends of the 95% interval of the mean over inputs (SciPy)', async () => {
    const points = { q: reference.values.map((value, index) => ({ input: `i${index}`, value })) }
    const [low, high] = await gate(session(points), 'c1', { q: ['ci_low >= 0', 'ci_high >= 100'] })
    expectClose(low?.observed as number, reference.ci[0], 'ci_low')
    expectClose(high?.observed as number, reference.ci[1], 'ci_high')
    expect(low).toMatchObject({ verdict: 'pass' })
    expect(high).toMatchObject({ verdict: 'fail' })
    expect(low?.statistics).toMatchObject({ method: 't', nInputs: 40, ciLevel: 0.95 })
    expect(low?.message).toContain('(95% interval, t over 40 inputs)')
  })

  it('a failed ci_low whose mean is above the bar says how many inputs would clear it', async () => {
    const points = { q: reference.values.map((value, index) => ({ input: `i${index}`, value })) }
    const bar = reference.mean - (reference.mean - reference.ci[0]) / 2
    const [result] = await gate(session(points), 'c1', { q: `ci_low >= ${bar}` })
    expect(result?.verdict).toBe('fail')
    expect(result?.message).toMatch(/~\d+ inputs would clear/)
    expect(result?.statistics?.nNeeded).toBeGreaterThan(40)
  })

  it('one input: ci_low demands evidence (−∞, fails), ci_high gives the benefit of the doubt (+∞, passes)', async () => {
    const [low, high] = await gate(session({ q: [{ input: 'only', value: 0.9 }] }), 'c1', {
      q: ['ci_low >= 0.5', 'ci_high >= 0.95'],
    })
    expect(low).toMatchObject({ verdict: 'fail', observed: Number.NEGATIVE_INFINITY })
    expect(high).toMatchObject({ verdict: 'pass', observed: Number.POSITIVE_INFINITY })
    expect(low?.message).toContain('1 input: the interval of the mean is unbounded')
  })

  it('pass_at(k) and pass_all(k) average the unbiased per-input estimates', async () => {
    // Input a: 5 trials, 2 pass; input b: 5 trials, 5 pass; input c: 5 trials, 0 pass.
    const trials = (input: string, passes: number): SeedPoint[] =>
      Array.from({ length: 5 }, (_, trial) => ({ input, trial, value: trial < passes ? 1 : 0 }))
    const points = { ok: [...trials('a', 2), ...trials('b', 5), ...trials('c', 0)] }
    const [at, all] = await gate(session(points), 'c1', { ok: ['pass_at(3) >= 0.6', 'pass_all(2) >= 0.5'] })
    const expectedAt = ((passAtK(5, 2, 3) as number) + 1 + 0) / 3
    const expectedAll = ((passAllK(5, 2, 2) as number) + 1 + 0) / 3
    expectClose(at?.observed as number, expectedAt, 'pass_at(3)')
    expectClose(all?.observed as number, expectedAll, 'pass_all(2)')
    expect(at?.verdict).toBe(expectedAt >= 0.6 ? 'pass' : 'fail')
    expect(at?.statistics).toMatchObject({ nInputs: 3 })
  })

  it('pass_at(k) fails clearly with fewer than k trials per input, or with scores that are not 0/1', async () => {
    const [few] = await gate(
      session({
        ok: [
          { input: 'a', trial: 0, value: 1 },
          { input: 'b', value: 0 },
        ],
      }),
      'c1',
      {
        ok: 'pass_at(5) >= 0.5',
      },
    )
    expect(few).toMatchObject({ verdict: 'fail', passed: false, observed: undefined })
    expect(few?.message).toContain(
      'pass_at(5) needs at least 5 trials per input; 2 of 2 inputs have fewer (the fewest: 1)',
    )
    const [fractional] = await gate(session({ ok: [{ input: 'a', value: 0.5 }] }), 'c1', {
      ok: 'pass_all(1) >= 0.5',
    })
    expect(fractional?.message).toContain('pass_all(1) needs 0/1 scores')
  })
})
