/**
 * The `metric_stats` view (schema migration 4) over databases seeded with SQL: the mean over inputs, its
 * standard deviation, standard error and 95% interval agree with SciPy to 1e-9 (Student t, through the
 * tabulated quantiles and the Cornish–Fisher tail above 200 df; Wilson for 0/1 values); trials are
 * averaged per input first; NaN/Infinity points and cached cost/latency calls are left out and counted.
 */
import { describe, expect, it } from 'vitest'
import { loadKeySummaries } from '../../reporter/stats/key-summaries.js'
import { openDatabase } from '../../reporter/store/database.js'
import { type SeedPoint, type SeedSession, seedDatabase } from '../gate/seed-database.js'
import { expectClose, REFERENCE } from './reference-values.js'

interface StatsRow {
  run_id: string
  name: string
  reducer: string
  n_inputs: number
  n_points: number
  min_trials: number | null
  max_trials: number | null
  mean: number | null
  sd: number | null
  se: number | null
  ci_low: number | null
  ci_high: number | null
  interval: string | null
  is_binary: boolean
  keyed: boolean
  n_nonfinite: number
  n_cached: number
}

async function statsOf(session: SeedSession, where = "reducer = 'mean'"): Promise<StatsRow[]> {
  const database = await openDatabase(await seedDatabase([session]))
  try {
    const rows = await database.query<Record<string, unknown>>(
      `SELECT * FROM metric_stats WHERE ${where} ORDER BY name, reducer`,
    )
    return rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([column, value]) => [
          column,
          typeof value === 'bigint' ? Number(value) : value,
        ]),
      ),
    ) as unknown as StatsRow[]
  } finally {
    database.close()
  }
}

function oneRun(points: Record<string, readonly SeedPoint[]>): SeedSession {
  return { id: 's1', runs: [{ name: 'a.eval.ts', points }] }
}

function keyed(values: readonly number[]): SeedPoint[] {
  return values.map((value, index) => ({ input: `input-${index}`, value }))
}

describe('the 95% interval of the mean over inputs', () => {
  it.each(REFERENCE.t_interval.map((entry) => [entry.name, entry] as const))(
    'Student t agrees with scipy.stats.t.interval (%s)',
    async (_name, reference) => {
      const [row] = await statsOf(oneRun({ 'task.score': keyed(reference.values) }))
      expect(row).toMatchObject({
        n_inputs: reference.values.length,
        interval: 't',
        keyed: true,
        is_binary: false,
      })
      expectClose(row?.mean as number, reference.mean, 'mean')
      expectClose(row?.sd as number, reference.sd, 'sd')
      expectClose(row?.se as number, reference.se, 'se')
      expectClose(row?.ci_low as number, reference.ci[0], 'ci_low')
      expectClose(row?.ci_high as number, reference.ci[1], 'ci_high')
    },
  )

  it('0/1 values get the Wilson interval of scipy binomtest(…).proportion_ci', async () => {
    for (const { k, n, low, high } of REFERENCE.wilson.filter((entry) => entry.n <= 1000)) {
      const values = Array.from({ length: n }, (_, index) => (index < k ? 1 : 0))
      const [row] = await statsOf(oneRun({ 'task.correct': keyed(values) }))
      expect(row).toMatchObject({ interval: 'wilson', is_binary: true, n_inputs: n })
      if (Math.abs(low) < 1e-12) expect(row?.ci_low).toBeCloseTo(low, 12)
      else expectClose(row?.ci_low as number, low, `wilson(${k}, ${n}).low`)
      if (Math.abs(1 - high) < 1e-12) expect(row?.ci_high).toBeCloseTo(high, 12)
      else expectClose(row?.ci_high as number, high, `wilson(${k}, ${n}).high`)
    }
  })
})

describe('trials and reducers', () => {
  it('trials are averaged per input before the statistics, so they are not counted as independent samples', async () => {
    const reference = REFERENCE.t_interval.find((entry) => entry.name === 'n=40')
    if (reference === undefined) throw new Error('missing reference case')
    // Five trials per input whose mean is the reference value.
    const points = reference.values.flatMap((value, index) =>
      [-0.2, -0.1, 0, 0.1, 0.2].map((offset, trial) => ({
        input: `in-${index}`,
        trial,
        value: value + offset,
      })),
    )
    const [row] = await statsOf(oneRun({ 'task.score': points }))
    expect(row).toMatchObject({ n_inputs: 40, n_points: 200, min_trials: 5, max_trials: 5 })
    expectClose(row?.mean as number, reference.mean, 'mean', 1e-9)
    expectClose(row?.ci_low as number, reference.ci[0], 'ci_low', 1e-9)
    expectClose(row?.ci_high as number, reference.ci[1], 'ci_high', 1e-9)
  })

  it('min, max and median reduce each input over its trials', async () => {
    const points = [
      { input: 'a', trial: 0, value: 1 },
      { input: 'a', trial: 1, value: 3 },
      { input: 'a', trial: 2, value: 8 },
      { input: 'b', trial: 0, value: 2 },
      { input: 'b', trial: 1, value: 4 },
    ]
    const rows = await statsOf(oneRun({ 'task.score': points }), 'true')
    const means = Object.fromEntries(rows.map((row) => [row.reducer, row.mean]))
    expect(means).toEqual({ mean: (4 + 3) / 2, min: 1.5, max: 6, median: 3 / 2 + 3 / 2 })
  })

  it('points recorded without input keys are one input per task call, and the key is not keyed', async () => {
    const points = [0.1, 0.5, 0.9].map((value) => ({ value }))
    const [row] = await statsOf(oneRun({ 'task.score': points }))
    expect(row).toMatchObject({ n_inputs: 3, n_points: 3, keyed: false, interval: 't' })
    expect(row?.mean).toBeCloseTo(0.5, 12)
  })

  it('a point logged outside any task is an input of its own', async () => {
    const [row] = await statsOf({ id: 's1', runs: [{ name: 'a.eval.ts', series: { total: [1, 2, 3, 4] } }] })
    expect(row).toMatchObject({ name: 'total', n_inputs: 4, n_points: 4, keyed: false })
  })
})

describe("a call's points of one key", () => {
  it('are summed for cost and latency keys (tokens are logged once per model call), averaged otherwise', async () => {
    // Input a: one call with three model calls; input b: one call with one.
    const points = (key: string, values: Record<string, number[]>): SeedPoint[] =>
      Object.entries(values).flatMap(([input, list]) =>
        list.map((value) => ({ input, value, call: `${key}-${input}` })),
      )
    const rows = await statsOf(
      oneRun({
        'agent.input_tokens': points('t', { a: [100, 200, 300], b: [50] }),
        'agent.quality': points('q', { a: [0.2, 0.4, 0.9], b: [0.5] }),
      }),
    )
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]))
    expect(byName['agent.input_tokens']).toMatchObject({
      n_inputs: 2,
      n_points: 4,
      max_trials: 1,
      mean: (600 + 50) / 2,
    })
    expect(byName['agent.quality']?.mean).toBeCloseTo((0.5 + 0.5) / 2, 12)
  })

  it("follow the key's mode: sum, count, min, max", async () => {
    const call = (key: string, mode: string, values: number[]): SeedPoint[] =>
      values.map((value) => ({ input: 'a', value, mode, call: key }))
    const rows = await statsOf(
      oneRun({
        's.total': call('s', 'sum', [1, 2, 3]),
        'c.events': call('c', 'count', [5, 5]),
        'm.lowest': call('m', 'min', [4, 2, 9]),
        'x.highest': call('x', 'max', [4, 2, 9]),
      }),
    )
    expect(Object.fromEntries(rows.map((row) => [row.name, row.mean]))).toEqual({
      'c.events': 2,
      'm.lowest': 2,
      's.total': 6,
      'x.highest': 9,
    })
  })

  it('the comparison combines them the same way', async () => {
    const session = (id: string, extra: number): SeedSession => ({
      id,
      runs: [
        {
          name: 'a.eval.ts',
          points: {
            'agent.cost_usd': ['x', 'y', 'z'].flatMap((input, index) =>
              [0.001, 0.002 + extra].map((value) => ({
                input,
                value: value * (index + 1),
                call: `${id}-${input}`,
              })),
            ),
          },
        },
      ],
    })
    const path = await seedDatabase([session('b', 0), session('c', 0.003)])
    const database = await openDatabase(path, { readOnly: true })
    try {
      const [summary] = await loadKeySummaries(database, [
        { baselineRunId: 'b/p/a.eval.ts', candidateRunId: 'c/p/a.eval.ts' },
      ])
      expect(summary?.paired).toMatchObject({ n: 3, trialsBaseline: 1 })
      expect(summary?.paired?.baselineMean).toBeCloseTo(0.003 * 2, 12)
      expect(summary?.paired?.meanDiff).toBeCloseTo(0.003 * 2, 12)
    } finally {
      database.close()
    }
  })
})

describe('bad and degenerate input', () => {
  it('NaN and ±Infinity points are left out of every statistic and counted', async () => {
    const [row] = await statsOf(
      oneRun({
        'task.score': [
          ...keyed([0.2, 0.4, 0.6]),
          { input: 'x', value: Number.NaN },
          { input: 'y', value: Number.POSITIVE_INFINITY },
          { input: 'z', value: Number.NEGATIVE_INFINITY },
        ],
      }),
    )
    expect(row).toMatchObject({ n_inputs: 3, n_points: 3, n_nonfinite: 3 })
    expect(row?.mean).toBeCloseTo(0.4, 12)
  })

  it('a key whose every point is NaN keeps its row, with no statistics and the count of what was left out', async () => {
    const [row] = await statsOf(oneRun({ 'task.score': [{ input: 'x', value: Number.NaN }] }))
    expect(row).toMatchObject({ n_inputs: 0, n_points: 0, mean: null, ci_low: null, n_nonfinite: 1 })
  })

  it('zero variance gives sd 0 and the point interval [mean, mean]', async () => {
    const [row] = await statsOf(oneRun({ 'task.score': keyed([0.7, 0.7, 0.7, 0.7]) }))
    expect(row).toMatchObject({ sd: 0, se: 0, interval: 't' })
    expect(row?.ci_low).toBeCloseTo(0.7, 12)
    expect(row?.ci_high).toBeCloseTo(0.7, 12)
  })

  it('a single non-0/1 input has a mean but no interval; a single 0/1 input has a Wilson interval', async () => {
    const rows = await statsOf(oneRun({ 'task.score': keyed([0.4]), 'task.correct': keyed([1]) }))
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]))
    expect(byName['task.score']).toMatchObject({
      n_inputs: 1,
      mean: 0.4,
      sd: null,
      ci_low: null,
      interval: null,
    })
    expect(byName['task.correct']).toMatchObject({ n_inputs: 1, mean: 1, interval: 'wilson', ci_high: 1 })
    expect(byName['task.correct']?.ci_low).toBeGreaterThan(0.2)
  })
})

describe('cached model calls (strikes/ai response cache)', () => {
  it('leave cost and latency keys but not scores: a cached re-run does not report near-zero cost', async () => {
    const calls = [
      { cost: 0.002, quality: 0.9, cached: false },
      { cost: 0.004, quality: 0.7, cached: false },
      { cost: 0.003, quality: 0.8, cached: true },
      { cost: 0.001, quality: 0.6, cached: true },
    ]
    const rows = await statsOf(
      oneRun({
        'summarize.cost_usd': calls.map((call, index) => ({
          input: `in-${index}`,
          value: call.cost,
          cached: call.cached,
          call: `c${index}`,
        })),
        'summarize.quality': calls.map((call, index) => ({
          input: `in-${index}`,
          value: call.quality,
          call: `c${index}`,
        })),
        'summarize.latency_ms': calls.map((call, index) => ({
          input: `in-${index}`,
          value: call.cached ? 1 : 900,
          call: `c${index}`,
        })),
      }),
    )
    const byName = Object.fromEntries(rows.map((row) => [row.name, row]))
    expect(byName['summarize.cost_usd']).toMatchObject({ n_inputs: 2, n_cached: 2 })
    expect(byName['summarize.cost_usd']?.mean).toBeCloseTo(0.003, 12)
    expect(byName['summarize.latency_ms']).toMatchObject({ n_inputs: 2, n_cached: 2, mean: 900 })
    expect(byName['summarize.quality']).toMatchObject({ n_inputs: 4, n_cached: 0 })
  })
})
