/**
 * `strikes gate`: thresholds and regression gates over a recorded session, without writing to the
 * database. Exit 0 pass, 1 fail, 2 usage or expression error.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { seedDatabase } from '../gate/seed-database.js'
import { query } from '../helpers/fixture-project.js'
import { expectClose, pairedCase } from '../stats/reference-values.js'
import { lines, type RecordedProject, recordedProject, strikes } from './strikes-cli.js'

let recorded: RecordedProject
let cwd: string

interface GateJson {
  sessionId: string
  passed: boolean
  results: {
    key: string
    runName?: string
    verdict: string
    observed?: number
    expected?: number
    baselineSessionId?: string
  }[]
}

async function gateJson(args: string[]): Promise<{ code: number | null; json: GateJson }> {
  const result = await strikes(['gate', ...args, '--json'], cwd)
  return { code: result.code, json: JSON.parse(result.stdout) as GateJson }
}

beforeAll(async () => {
  recorded = await recordedProject()
  cwd = recorded.project.dir
})

describe('thresholds', () => {
  test('a passing gate exits 0 and prints the table for the latest session', async () => {
    const result = await strikes(['gate', 'summarize.quality: avg >= 0.75'], cwd)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(recorded.second)
    expect(result.stdout).toContain('summarize.quality')
    expect(result.stdout).toContain('pass')
  })

  test('a failing gate exits 1 and the table shows the observed and expected values', async () => {
    const result = await strikes(
      ['gate', 'summarize.quality: avg >= 0.85', 'classify.correct: pass_rate >= 0.5'],
      cwd,
    )
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('fail')
    expect(result.stdout).toContain('0.8')
    expect(result.stdout).toContain('0.85')
  })

  test('--key names the key of every expression', async () => {
    const { code, json } = await gateJson(['--key', 'summarize.quality', 'min >= 0.6', 'max <= 0.9'])
    expect(code).toBe(0)
    expect(json.results.map((result) => result.verdict)).toEqual(['pass', 'pass'])
  })

  test('--session picks an older session by id prefix', async () => {
    const { code, json } = await gateJson([
      'summarize.quality: avg >= 0.85',
      '--session',
      recorded.first.slice(0, 8),
    ])
    expect(code).toBe(0)
    expect(json.sessionId).toBe(recorded.first)
  })

  test('a key no run recorded fails as "no data", exit 1', async () => {
    const { code, json } = await gateJson(['summarize.relevance: avg >= 0.5'])
    expect(code).toBe(1)
    expect(json.results).toEqual([
      expect.objectContaining({ key: 'summarize.relevance', verdict: 'no data' }),
    ])
  })
})

describe('regression gates', () => {
  test('the latest session regressed against the previous one: exit 1 naming the baseline session', async () => {
    const { code, json } = await gateJson(['summarize.quality: avg >= baseline - 0.05'])
    expect(code).toBe(1)
    expect(json.results).toEqual([
      expect.objectContaining({
        verdict: 'fail',
        baselineSessionId: recorded.first,
        expected: expect.closeTo(0.85, 10),
      }),
    ])
  })

  test('--baseline selects the session compared with (latest before the checked one, or an id)', async () => {
    for (const baseline of ['latest', recorded.first]) {
      const { json } = await gateJson(['summarize.quality: avg >= baseline', '--baseline', baseline])
      expect(json.results[0]).toMatchObject({ verdict: 'fail', baselineSessionId: recorded.first })
    }
  })

  test('the first session has no baseline: it passes, and fails with --strict', async () => {
    const lenient = await gateJson(['summarize.quality: avg >= baseline', '--session', recorded.first])
    expect(lenient.code).toBe(0)
    expect(lenient.json.results[0]?.verdict).toBe('no baseline')
    const strict = await gateJson([
      'summarize.quality: avg >= baseline',
      '--session',
      recorded.first,
      '--strict',
    ])
    expect(strict.code).toBe(1)
  })

  test('the CLI gate evaluates and writes nothing to the database: the file is byte for byte the same', async () => {
    const before = createHash('sha256').update(readFileSync(recorded.project.db)).digest('hex')
    const result = await strikes(['gate', 'summarize.quality: avg >= 0.5', '--json'], cwd)
    // It really evaluated (a crashing gate would also leave `gates` empty).
    expect(result.code, result.stderr).toBe(0)
    const json = JSON.parse(result.stdout) as { passed: boolean; results: { verdict: string }[] }
    expect(json.passed).toBe(true)
    expect(json.results.length).toBeGreaterThan(0)
    expect(json.results.every((row) => row.verdict === 'pass')).toBe(true)
    const rows = await query<{ n: bigint }>(recorded.project.db, 'SELECT count(*) AS n FROM gates')
    expect(rows[0]?.n).toBe(0n)
    expect(createHash('sha256').update(readFileSync(recorded.project.db)).digest('hex')).toBe(before)
  })
})

describe('errors: one line, exit 2', () => {
  test('a malformed expression names the key, the column and what would fit', async () => {
    const result = await strikes(['gate', 'summarize.quality: averag >= 0.8'], cwd)
    expect(result.code).toBe(2)
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toContain('"summarize.quality"')
    expect(result.stderr).toContain('unknown aggregate "averag" at column 1')
  })

  test('an unknown session is refused', async () => {
    const result = await strikes(
      ['gate', 'summarize.quality: avg >= 0.8', '--session', 'no-such-session'],
      cwd,
    )
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no session matches "no-such-session"')
  })
})

describe('no regression through the CLI', () => {
  const regressed = pairedCase('n=40 noise=0.1 shift=-0.1')
  const noisy = pairedCase('n=40 noise=0.15 shift=0.0')
  let db: string
  beforeAll(async () => {
    const keyed = (values: readonly number[]) =>
      values.map((value, index) => ({ input: `in-${index}`, value }))
    db = await seedDatabase([
      {
        id: 'base-0001',
        runs: [
          { name: 'a.eval.ts', points: { 'a.quality': keyed(regressed.baseline) } },
          { name: 'b.eval.ts', points: { 'b.quality': keyed(noisy.baseline) } },
        ],
      },
      {
        id: 'cand-0002',
        runs: [
          { name: 'a.eval.ts', points: { 'a.quality': keyed(regressed.candidate) } },
          { name: 'b.eval.ts', points: { 'b.quality': keyed(noisy.candidate) } },
        ],
      },
    ])
  })

  test('a significant drop exits 1; the table shows Δ with its interval, what it expects, p and MDE', async () => {
    const result = await strikes(['gate', 'a.quality: no regression', '--db', db], cwd)
    expect(result.code).toBe(1)
    const row = lines(result.stdout).find((line) => line.includes('no regression')) ?? ''
    expect(row).toMatch(
      /✗ +a\.quality +no regression +a\.eval\.ts +Δ -0\.05685 \[-0\.0\d+, -0\.0\d+\] +no drop +fail +p 0\.0017 · MDE 0\.0\d+ · paired t, n 40/,
    )
  })

  test('--json carries the statistics: one-sided p, 90% interval, MDE and method (SciPy figures)', async () => {
    const result = await strikes(['gate', 'a.quality: no regression', '--db', db, '--json'], cwd)
    const json = JSON.parse(result.stdout) as {
      passed: boolean
      results: { verdict: string; statistics: Record<string, number | string> }[]
    }
    expect(json.passed).toBe(false)
    const statistics = json.results[0]?.statistics ?? {}
    expect(statistics).toMatchObject({ method: 'paired t', nInputs: 40, ciLevel: 0.9 })
    expectClose(statistics.pValue as number, regressed.p_less, 'p')
    expectClose(statistics.ciHigh as number, regressed.ci90[1], 'ci high')
  })

  test('a margin the data can detect passes plainly; one below the MDE passes within noise, saying what would tell', async () => {
    const result = await strikes(
      [
        'gate',
        'a.quality: no regression beyond 0.2',
        'b.quality: no regression beyond 0.02',
        'a.quality: ci_low >= 0.3',
        '--db',
        db,
      ],
      cwd,
    )
    expect(result.code, result.stdout).toBe(0)
    const rows = lines(result.stdout)
    const wide = rows.find((line) => line.includes('no regression beyond 0.2')) ?? ''
    expect(wide).toContain('no drop > 0.2')
    expect(wide).not.toContain('within noise')
    const narrow = rows.find((line) => line.includes('no regression beyond 0.02')) ?? ''
    expect(narrow).toMatch(/within noise: ~\d+ inputs would detect a drop of 0\.02$/)
    expect(rows.find((line) => line.includes('ci_low >= 0.3'))).toContain('pass')
  })
})
