/**
 * `strikes gate`: thresholds and regression gates over a recorded session, without writing to the
 * database. Exit 0 pass, 1 fail, 2 usage or expression error.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { beforeAll, describe, expect, test } from 'vitest'
import { query } from '../helpers/fixture-project.js'
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
