/**
 * Gates over a recorded session: aggregates of the run-level raw values, per run; "no data" for a key no
 * run recorded; baselines from the previous run of the same file or a chosen session; results recorded.
 */
import { describe, expect, it } from 'vitest'
import { evaluateGates, type GateResult } from '../../reporter/gate/evaluate-gates.js'
import { parseGate } from '../../reporter/gate/gate-definition.js'
import { evaluateSessionGates } from '../../reporter/gate/session-gates.js'
import { openDatabase } from '../../reporter/store/database.js'
import { resolveOptions } from '../../reporter/vitest/options.js'
import { type SeedSession, seedDatabase } from './seed-database.js'

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
