/**
 * The pairing query (`reporter/stats/key-summaries-sql.ts`) takes shortcuts for speed — inputs with one
 * call per run skip the grouping into calls, the key's reducer is applied in the pairing aggregate, the
 * points left out are counted apart — so its figures are checked here against the `metric_inputs` view
 * (the one definition of calls and inputs), for every reducer and every shape an input can take.
 */
import { describe, expect, it } from 'vitest'
import { type KeySummary, loadKeySummaries, type RunPair } from '../../reporter/stats/key-summaries.js'
import { type Database, openDatabase } from '../../reporter/store/database.js'
import { type SeedPoint, type SeedRun, seedDatabase } from '../gate/seed-database.js'

/** Keys with their `mode` (cost keys are summed whatever the mode). */
const KEYS: Record<string, string | undefined> = {
  'task.score': undefined,
  'task.total': 'sum',
  'task.events': 'count',
  'task.lowest': 'min',
  'task.highest': 'max',
  'task.cost_usd': undefined,
  'task.correct': undefined,
}
const FILES = ['a.eval.ts', 'b.eval.ts']

/** A seeded generator (mulberry32), so the data and the figures are the same on every run. */
function generator(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * The points of one key in one session: inputs with one call on both sides, trials on one side or both,
 * calls with several points, inputs of one side only, a NaN point, cached calls, calls without input keys.
 */
function pointsOf(key: string, side: 'baseline' | 'candidate', random: () => number): SeedPoint[] {
  const mode = KEYS[key]
  const binary = key === 'task.correct'
  const value = (): number => (binary ? (random() < 0.5 ? 0 : 1) : Math.round(random() * 1e6) / 1e4)
  const points: SeedPoint[] = []
  const call = (input: string, trial: number, values: number, cached = false): void => {
    // One task call per input and trial carries a point (or two) of every key.
    const id = `${input}/${trial}`
    for (let point = 0; point < values; point++) {
      points.push({ input, trial, value: value(), call: id, ...(mode === undefined ? {} : { mode }), cached })
    }
  }
  for (let index = 0; index < 36; index++) {
    const input = `input-${index}`
    const shape = index % 6
    const trials =
      shape === 1
        ? side === 'baseline'
          ? 3
          : 1
        : shape === 2
          ? 2
          : shape === 5 && side === 'candidate'
            ? 3
            : 1
    if (shape === 4 && side === 'candidate') continue
    for (let trial = 0; trial < trials; trial++) {
      const values = shape === 3 || (shape === 5 && trial === 1) ? 2 : 1
      call(input, trial, values, index % 7 === 0)
    }
  }
  points.push({ input: 'input-0', trial: 5, value: Number.NaN, ...(mode === undefined ? {} : { mode }) })
  for (let index = 0; index < 3; index++)
    points.push({ value: value(), ...(mode === undefined ? {} : { mode }) })
  return points
}

function runOf(name: string, side: 'baseline' | 'candidate', random: () => number): SeedRun {
  return {
    name,
    points: Object.fromEntries(Object.keys(KEYS).map((key) => [key, pointsOf(key, side, random)])),
    // Points logged outside any task: of a key that also has task points, and of a key of their own.
    series: { 'task.score': [random(), random()], total: [random(), random(), random()] },
  }
}

interface InputRow {
  run_id: string
  name: string
  input_key: string | null
  trials: number
  points: number
  mean: number
  is_binary: boolean
  trial_variance: number | null
}

function average(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length
}

function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return Number.NaN
  const mean = average(values)
  return values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (values.length - 1)
}

function expectNear(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) {
    expect(actual, what).toBeNaN()
    return
  }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(
    1e-12 * Math.max(1, Math.abs(expected)),
  )
}

/** Checks one key of one pair against the inputs of `metric_inputs`. */
function expectSummaryOf(summary: KeySummary, pair: RunPair, inputs: readonly InputRow[], top: number): void {
  const of = (runId: string | undefined): InputRow[] =>
    inputs.filter((row) => row.run_id === runId && row.name === summary.key)
  const baseline = of(pair.baselineRunId)
  const candidate = of(pair.candidateRunId)
  for (const [side, rows, label] of [
    [summary.baseline, baseline, 'baseline'],
    [summary.candidate, candidate, 'candidate'],
  ] as const) {
    const what = `${summary.key} ${label}`
    expect(side?.n, `${what} n`).toBe(rows.length)
    expectNear(side?.mean as number, average(rows.map((row) => row.mean)), `${what} mean`)
    expectNear(side?.variance as number, sampleVariance(rows.map((row) => row.mean)), `${what} variance`)
    expect(side?.keyed, `${what} keyed`).toBe(rows.filter((row) => row.input_key !== null).length)
    expect(side?.points, `${what} points`).toBe(rows.reduce((sum, row) => sum + row.points, 0))
    expect(side?.maxTrials, `${what} max trials`).toBe(Math.max(...rows.map((row) => row.trials)))
    expect(side?.binarySingleTrial, `${what} binary single`).toBe(
      rows.every((row) => row.trials === 1 && row.is_binary),
    )
    expect(side?.binaryMeans, `${what} binary means`).toBe(
      rows.every((row) => row.mean === 0 || row.mean === 1),
    )
  }
  const byKey = new Map(candidate.filter((row) => row.input_key !== null).map((row) => [row.input_key, row]))
  const paired = baseline.flatMap((b) => {
    const c = b.input_key === null ? undefined : byKey.get(b.input_key)
    return c === undefined ? [] : [{ b, c, diff: c.mean - b.mean }]
  })
  const within = (values: readonly (number | null)[]): number =>
    average(values.filter((value): value is number => value !== null))
  const what = `${summary.key} paired`
  if (paired.length === 0) {
    expect(summary.paired, what).toBeUndefined()
    return
  }
  expect(summary.paired?.n, `${what} n`).toBe(paired.length)
  expectNear(summary.paired?.meanDiff as number, average(paired.map((entry) => entry.diff)), `${what} diff`)
  expectNear(summary.paired?.varianceDiff as number, sampleVariance(paired.map((p) => p.diff)), `${what} var`)
  expectNear(summary.paired?.baselineMean as number, average(paired.map((p) => p.b.mean)), `${what} b mean`)
  expectNear(summary.paired?.candidateMean as number, average(paired.map((p) => p.c.mean)), `${what} c mean`)
  expect(summary.paired?.oneToZero).toBe(paired.filter((p) => p.b.mean === 1 && p.c.mean === 0).length)
  expect(summary.paired?.zeroToOne).toBe(paired.filter((p) => p.b.mean === 0 && p.c.mean === 1).length)
  expect(summary.paired?.binarySingleTrial, `${what} binary single`).toBe(
    paired.every((p) => p.b.trials === 1 && p.c.trials === 1 && p.b.is_binary && p.c.is_binary),
  )
  expectNear(
    summary.paired?.withinBaseline as number,
    within(paired.map((p) => p.b.trial_variance)),
    `${what} wb`,
  )
  expectNear(
    summary.paired?.withinCandidate as number,
    within(paired.map((p) => p.c.trial_variance)),
    `${what} wc`,
  )
  expectNear(summary.paired?.trialsBaseline as number, average(paired.map((p) => p.b.trials)), `${what} tb`)
  expectNear(summary.paired?.trialsCandidate as number, average(paired.map((p) => p.c.trials)), `${what} tc`)
  const rose = paired.filter((p) => p.diff > 0).sort((x, y) => y.diff - x.diff)
  const fell = paired.filter((p) => p.diff < 0).sort((x, y) => x.diff - y.diff)
  // Ties at the cut make the inputs listed one choice among several: their changes are what is fixed.
  const expected = [...rose.slice(0, top), ...fell.slice(0, top)].map((p) => p.diff).sort((x, y) => x - y)
  const listed = summary.changed.map((input) => input.diff).sort((x, y) => x - y)
  expect(listed.length, `${what} changed`).toBe(expected.length)
  for (const [index, diff] of listed.entries()) {
    expectNear(diff, expected[index] as number, `${what} changed ${index}`)
  }
  for (const input of summary.changed) {
    const entry = paired.find((p) => p.b.input_key === input.inputKey)
    expectNear(input.baseline, entry?.b.mean as number, `${what} ${input.inputKey} baseline`)
    expectNear(input.candidate, entry?.c.mean as number, `${what} ${input.inputKey} candidate`)
  }
}

describe('the pairing query agrees with metric_inputs', () => {
  it('for every reducer, with trials on one side or both, multi-point calls, one-sided inputs, NaN, cache hits and points outside tasks', async () => {
    const random = generator(15)
    const path = await seedDatabase([
      { id: 'baseline', runs: FILES.map((file) => runOf(file, 'baseline', random)) },
      { id: 'candidate', runs: FILES.map((file) => runOf(file, 'candidate', random)) },
    ])
    const database: Database = await openDatabase(path, { readOnly: true })
    try {
      const pairs: RunPair[] = FILES.map((file) => ({
        baselineRunId: `baseline/p/${file}`,
        candidateRunId: `candidate/p/${file}`,
      }))
      const top = 4
      const summaries = await loadKeySummaries(database, pairs, { topInputs: top })
      const inputs = (await database.query<InputRow>('SELECT * FROM metric_inputs')).map((row) => ({
        ...row,
        trials: Number(row.trials),
        points: Number(row.points),
      }))
      const left = await database.query<{ run_id: string; name: string; nonfinite: bigint; cached: bigint }>(
        `SELECT run_id, name, count(*) FILTER (WHERE NOT finite) AS nonfinite,
           count(*) FILTER (WHERE finite AND cached) AS cached
         FROM metric_points GROUP BY ALL`,
      )
      expect(summaries.map((summary) => `${summary.pair} ${summary.key}`)).toEqual(
        FILES.flatMap((_, pair) => [...Object.keys(KEYS), 'total'].sort().map((key) => `${pair} ${key}`)),
      )
      for (const summary of summaries) {
        const pair = pairs[summary.pair] as RunPair
        expectSummaryOf(summary, pair, inputs, top)
        for (const [side, runId] of [
          [summary.baseline, pair.baselineRunId],
          [summary.candidate, pair.candidateRunId],
        ] as const) {
          const row = left.find((entry) => entry.run_id === runId && entry.name === summary.key)
          expect(side?.nonFinite, `${summary.key} ${runId} NaN`).toBe(Number(row?.nonfinite))
          expect(side?.cached, `${summary.key} ${runId} cached`).toBe(Number(row?.cached))
        }
      }
      const costs = summaries.find((summary) => summary.key === 'task.cost_usd')
      expect(costs?.baseline?.cached, 'the data has cached cost points').toBeGreaterThan(0)
      const scores = summaries.find((summary) => summary.key === 'task.score')
      expect(scores?.baseline?.maxTrials, 'the data has trials').toBe(3)
      expect(scores?.baseline?.nonFinite, 'the data has NaN points').toBe(1)
    } finally {
      database.close()
    }
  })

  it('keeps only the keys asked for, and a key only one side recorded has no row on the other', async () => {
    const random = generator(16)
    const path = await seedDatabase([
      { id: 'baseline', runs: [runOf('a.eval.ts', 'baseline', random)] },
      {
        id: 'candidate',
        runs: [{ name: 'a.eval.ts', points: { 'task.score': pointsOf('task.score', 'candidate', random) } }],
      },
    ])
    const database = await openDatabase(path, { readOnly: true })
    try {
      const pair = { baselineRunId: 'baseline/p/a.eval.ts', candidateRunId: 'candidate/p/a.eval.ts' }
      const summaries = await loadKeySummaries(database, [pair], { keys: ['task.score', 'task.lowest'] })
      expect(summaries.map((summary) => summary.key)).toEqual(['task.lowest', 'task.score'])
      expect(summaries[0]?.candidate).toBeUndefined()
      expect(summaries[0]?.paired).toBeUndefined()
      expect(summaries[1]?.paired?.n).toBe(30)
    } finally {
      database.close()
    }
  })
})
