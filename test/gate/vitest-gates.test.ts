/**
 * Gates at the end of a real `vitest run --reporter=strikes` on the `gates` fixture project, whose
 * thresholds, baseline and scores come from environment variables: the exit code, the printed table,
 * and the rows in `gates` and `sessions`.
 */
import { describe, test } from 'vitest'
import { type FixtureProject, fixtureProject, query, type RunResult } from '../helpers/fixture-project.js'

interface GateRow {
  key: string
  expression: string
  run: string | null
  verdict: string
  passed: boolean
  baseline_session_id: string | null
}

function run(project: FixtureProject, env: Record<string, string>): Promise<RunResult> {
  return project.vitest(['--reporter=strikes'], { env })
}

function thresholds(value: Record<string, string | string[]>): string {
  return JSON.stringify(value)
}

async function gateRows(project: FixtureProject): Promise<GateRow[]> {
  return query<GateRow>(
    project.db,
    `SELECT g.key, g.expression, r.name AS run, g.verdict, g.passed, g.baseline_session_id
     FROM gates g LEFT JOIN runs r USING (run_id)
     WHERE g.session_id = (SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1)
     ORDER BY g.seq`,
  )
}

async function latestSession(
  project: FixtureProject,
): Promise<{ gate_passed: boolean | null; runs: bigint }> {
  const rows = await query<{ gate_passed: boolean | null; runs: bigint }>(
    project.db,
    `SELECT gate_passed, (SELECT count(*) FROM runs r WHERE r.session_id = s.session_id) AS runs
     FROM sessions s ORDER BY started_at DESC LIMIT 1`,
  )
  return rows[0] as { gate_passed: boolean | null; runs: bigint }
}

describe.concurrent('gates at the end of a vitest session', () => {
  test('a passing threshold exits 0 and records a passing gate and gate_passed = true', async ({
    expect,
  }) => {
    const project = fixtureProject('gates')
    const result = await run(project, {
      GATES_THRESHOLDS: thresholds({
        'summarize.quality': 'avg >= 0.8',
        'classify.correct': 'pass_rate >= 0.75',
      }),
    })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(await gateRows(project)).toEqual([
      {
        key: 'summarize.quality',
        expression: 'avg >= 0.8',
        run: 'summarize.eval.ts',
        verdict: 'pass',
        passed: true,
        baseline_session_id: null,
      },
      {
        key: 'classify.correct',
        expression: 'pass_rate >= 0.75',
        run: 'classify.eval.ts',
        verdict: 'pass',
        passed: true,
        baseline_session_id: null,
      },
    ])
    expect((await latestSession(project)).gate_passed).toBe(true)
  })

  test('a failing threshold exits non-zero and prints the gate table, with every run still recorded', async ({
    expect,
  }) => {
    const project = fixtureProject('gates')
    const result = await run(project, {
      GATES_THRESHOLDS: thresholds({ 'summarize.quality': 'avg >= 0.95' }),
    })
    expect(result.code).not.toBe(0)
    expect(result.stdout).toContain('gates')
    expect(result.stdout).toContain('summarize.quality')
    expect(result.stdout).toContain('avg >= 0.95')
    expect(result.stdout).toContain('fail')
    expect(await gateRows(project)).toMatchObject([
      { key: 'summarize.quality', verdict: 'fail', passed: false },
    ])
    expect(await latestSession(project)).toEqual({ gate_passed: false, runs: 2n })
  })

  test('a key no run produced fails as "no data"', async ({ expect }) => {
    const project = fixtureProject('gates')
    const result = await run(project, {
      GATES_THRESHOLDS: thresholds({
        'summarize.quality': 'avg >= 0.5',
        'summarize.relevance': 'avg >= 0.5',
      }),
    })
    expect(result.code).not.toBe(0)
    expect(result.stdout).toContain('no data')
    expect(await gateRows(project)).toMatchObject([
      { key: 'summarize.quality', verdict: 'pass' },
      { key: 'summarize.relevance', run: null, verdict: 'no data', passed: false },
    ])
  })

  test('a regression against the previous session fails; the first session had no baseline and passed', async ({
    expect,
  }) => {
    const project = fixtureProject('gates')
    const gates = thresholds({ 'summarize.quality': ['avg >= 0.5', 'avg >= baseline - 0.05'] })
    const first = await run(project, { GATES_THRESHOLDS: gates, GATES_SCORES: '0.9,0.9,0.9' })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(await gateRows(project)).toMatchObject([
      { verdict: 'pass' },
      { verdict: 'no baseline', passed: true },
    ])
    const firstSession = await query<{ session_id: string }>(project.db, 'SELECT session_id FROM sessions')

    const second = await run(project, { GATES_THRESHOLDS: gates, GATES_SCORES: '0.8,0.7,0.8' })
    expect(second.code).not.toBe(0)
    expect(second.stdout).toContain('avg >= baseline - 0.05')
    expect(await gateRows(project)).toMatchObject([
      { verdict: 'pass' },
      { verdict: 'fail', passed: false, baseline_session_id: firstSession[0]?.session_id },
    ])

    const third = await run(project, { GATES_THRESHOLDS: gates, GATES_SCORES: '0.8,0.7,0.8' })
    expect(third.code, 'the same scores again are no regression against the previous session').toBe(0)
  })

  test('strict: a regression gate without a baseline fails', async ({ expect }) => {
    const project = fixtureProject('gates')
    const result = await run(project, {
      GATES_THRESHOLDS: thresholds({ 'summarize.quality': 'avg >= baseline' }),
      GATES_STRICT: '1',
    })
    expect(result.code).not.toBe(0)
    expect(await gateRows(project)).toMatchObject([{ verdict: 'no baseline', passed: false }])
  })

  test('no regression and ci_low from the plugin options: no baseline first, then a significant drop fails with its figures recorded', async ({
    expect,
  }) => {
    const project = fixtureProject('gates')
    const gates = thresholds({ 'summarize.quality': ['no regression', 'ci_low >= 0.5'] })
    const scores = Array.from({ length: 12 }, (_, index) => 0.8 + (index % 3) * 0.05).join(',')
    const first = await run(project, { GATES_THRESHOLDS: gates, GATES_SCORES: scores })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    expect(await gateRows(project)).toMatchObject([
      { expression: 'no regression', verdict: 'no baseline', passed: true },
      { expression: 'ci_low >= 0.5', verdict: 'pass', passed: true },
    ])
    const worse = Array.from({ length: 12 }, (_, index) => 0.5 + (index % 3) * 0.05).join(',')
    const second = await run(project, { GATES_THRESHOLDS: gates, GATES_SCORES: worse })
    expect(second.code).not.toBe(0)
    expect(second.stdout).toMatch(/✗ +summarize\.quality +no regression +summarize\.eval\.ts +Δ -0\.3 /)
    const [row] = await query<{
      verdict: string
      method: string
      n_inputs: number
      p_value: number
      estimate: number
    }>(
      project.db,
      `SELECT verdict, method, n_inputs, p_value, estimate FROM gates
       WHERE expression = 'no regression' AND session_id = (SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1)`,
    )
    // The same twelve inputs in both sessions (their input keys): a paired test.
    expect(row).toMatchObject({ verdict: 'fail', method: 'paired t', n_inputs: 12 })
    expect(row?.estimate).toBeCloseTo(-0.3, 10)
    expect(row?.p_value).toBeLessThan(0.001)
  })

  test('a malformed threshold stops vitest at config time, naming the key and the column', async ({
    expect,
  }) => {
    const project = fixtureProject('gates')
    const result = await run(project, {
      GATES_THRESHOLDS: thresholds({ 'summarize.quality': 'avg >= 0.8 %' }),
    })
    expect(result.code).not.toBe(0)
    const output = result.stdout + result.stderr
    expect(output).toContain('key "summarize.quality"')
    expect(output).toContain('unexpected character "%" at column 12')
  })
})
