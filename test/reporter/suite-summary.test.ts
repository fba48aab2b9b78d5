/**
 * The terminal summary of a big suite: one screen whatever the number of runs — keys across all the
 * runs (read in SQL from a real database, never from the first runs the per-run summary holds), the runs
 * that did not pass, never one block per run.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { formatSuiteSummary, type KeysAcrossRuns, loadKeysAcrossRuns } from '../../reporter/suite-summary.js'
import type { RunSummary } from '../../reporter/summary.js'
import { type SeedRun, seedDatabase } from '../gate/seed-database.js'

function run(index: number, status: string): RunSummary {
  return {
    runId: `s/p/${name(index)}`,
    name: name(index),
    file: `/p/evals/file-${index}.eval.ts`,
    status,
    durationMs: 100,
    tasks: 20,
    failedTasks: status === 'failed' ? 2 : 0,
    tests: 20,
    failedTests: status === 'failed' ? 2 : 0,
    flakyTests: 0,
    error: status === 'crashed' ? 'worker exited unexpectedly\n  at somewhere' : null,
    metrics: [],
  }
}

function name(index: number): string {
  return `evals/file-${String(index).padStart(3, '0')}.eval.ts`
}

/** `exact` in every run (20 points, 0.9 each but 0.1 in run 42), `latency_ms` in the even runs only. */
function seededRun(index: number): SeedRun {
  const series: Record<string, number[]> = { exact: Array(20).fill(index === 42 ? 0.1 : 0.9) }
  if (index % 2 === 0) series.latency_ms = Array.from({ length: 10 }, (_, i) => i + index)
  return { name: name(index), series }
}

async function keysOf(runs: readonly SeedRun[]): Promise<KeysAcrossRuns> {
  const database = await openDatabase(await seedDatabase([{ id: 's', runs }]), { readOnly: true })
  try {
    return await loadKeysAcrossRuns(database, 's')
  } finally {
    database.close()
  }
}

const places = {
  dbPath: '/p/.strikes/strikes.duckdb',
  reportPath: '/p/.strikes/report.html',
  cwd: '/p',
  color: false,
}

describe('summary of a big suite', () => {
  let sixty: KeysAcrossRuns
  beforeAll(async () => {
    sixty = await keysOf(Array.from({ length: 60 }, (_, index) => seededRun(index)))
  })

  test('60 runs fit one screen: keys across all 60 runs, only the runs that did not pass by name', () => {
    const runs = Array.from({ length: 60 }, (_, index) =>
      run(index, index === 7 ? 'failed' : index === 9 ? 'crashed' : 'passed'),
    )
    const text = formatSuiteSummary(runs, sixty, places)
    const lines = text.split('\n')
    expect(lines.length).toBeLessThanOrEqual(20)
    expect(text).toContain('60 runs recorded (58 passed, 1 failed, 1 crashed)')
    expect(text).toContain('1200 tasks (2 failed) · 1200 tests (2 failed)')
    const exact = lines.find((line) => line.trimStart().startsWith('exact'))
    // All 60 runs and 1,200 points (the per-run summary holds only 50 runs); the lowest run named.
    expect(exact).toMatch(/exact\s+60\s+1200\s+0\.8867\s+0\.1\s+0\.9\s+evals\/file-042\.eval\.ts \(0\.1\)/)
    expect(text).toContain('2 runs did not pass:')
    expect(text).toContain('✗ evals/file-007.eval.ts')
    expect(text).toContain('☠ evals/file-009.eval.ts')
    expect(text).toContain('error outside tests: worker exited unexpectedly')
    expect(text).not.toContain('file-010.eval.ts')
    expect(text).toContain(' report .strikes/report.html')
  })

  test('keys are weighted by points, and keys some runs lack count only the runs that have them', () => {
    const { keys, total } = sixty
    expect(total).toBe(2)
    const [exact, latency] = keys
    expect(exact).toMatchObject({ name: 'exact', runs: 60, count: 1200, min: 0.1, max: 0.9 })
    expect(exact?.mean).toBeCloseTo((59 * 0.9 + 0.1) / 60, 12)
    expect(exact?.lowest).toEqual({ run: name(42), avg: expect.closeTo(0.1, 12) })
    // Even runs 0..58 hold 10 points each, i..i+9: the lowest mean is run 0's (4.5).
    expect(latency).toMatchObject({ name: 'latency_ms', runs: 30, count: 300, min: 0, max: 67 })
    expect(latency?.lowest).toEqual({ run: name(0), avg: 4.5 })
  })

  test('more keys than the table shows are counted, every run of each shown key included', async () => {
    const runs = Array.from({ length: 12 }, (_, index) => ({
      name: name(index),
      series: Object.fromEntries(
        Array.from({ length: 30 }, (_, key) => [`k${String(key).padStart(2, '0')}`, [key]]),
      ),
    }))
    const across = await keysOf(runs)
    expect(across.total).toBe(30)
    expect(across.keys).toHaveLength(15)
    expect(across.keys.every((key) => key.runs === 12 && key.count === 12)).toBe(true)
    const text = formatSuiteSummary(
      runs.map((_, index) => run(index, 'passed')),
      across,
      places,
    )
    expect(text).toContain('… and 15 more keys in the report')
  })

  test('a long list of failing runs is cut, with how many more and where to see them', () => {
    const runs = Array.from({ length: 40 }, (_, index) => run(index, 'failed'))
    const text = formatSuiteSummary(runs, { keys: [], total: 0 }, places)
    expect(text.split('\n').length).toBeLessThanOrEqual(25)
    expect(text).toContain('… and 30 more (strikes runs --limit 1)')
  })
})
