/**
 * The terminal summary of a big suite: one screen whatever the number of runs — keys across runs, the
 * runs that did not pass, never one block per run.
 */
import { describe, expect, test } from 'vitest'
import { formatSuiteSummary, keysAcrossRuns } from '../../reporter/suite-summary.js'
import type { RunSummary } from '../../reporter/summary.js'

function run(index: number, status: string, quality: number): RunSummary {
  return {
    runId: `r${index}`,
    name: `evals/file-${String(index).padStart(3, '0')}.eval.ts`,
    file: `/p/evals/file-${index}.eval.ts`,
    status,
    durationMs: 100,
    tasks: 20,
    failedTasks: status === 'failed' ? 2 : 0,
    tests: 20,
    failedTests: status === 'failed' ? 2 : 0,
    flakyTests: 0,
    error: status === 'crashed' ? 'worker exited unexpectedly\n  at somewhere' : null,
    metrics: [
      { name: 'exact', count: 20, avg: quality, min: 0, max: 1 },
      { name: 'latency_ms', count: 10, avg: 5 + index, min: 1, max: 10 + index },
    ],
  }
}

const places = {
  dbPath: '/p/.strikes/strikes.duckdb',
  reportPath: '/p/.strikes/report.html',
  cwd: '/p',
  color: false,
}

describe('summary of a big suite', () => {
  test('60 runs fit one screen: a table of keys across runs, only the runs that did not pass by name', () => {
    const runs = Array.from({ length: 60 }, (_, index) =>
      run(index, index === 7 ? 'failed' : index === 9 ? 'crashed' : 'passed', index === 42 ? 0.1 : 0.9),
    )
    const text = formatSuiteSummary(runs, places)
    const lines = text.split('\n')
    expect(lines.length).toBeLessThanOrEqual(20)
    expect(text).toContain('60 runs recorded (58 passed, 1 failed, 1 crashed)')
    expect(text).toContain('1200 tasks (2 failed) · 1200 tests (2 failed)')
    const exact = lines.find((line) => line.trimStart().startsWith('exact'))
    // 1,200 points; mean of 59 runs at 0.9 and one at 0.1; the lowest run named.
    expect(exact).toMatch(/exact\s+60\s+1200\s+0\.8867\s+0\s+1\s+evals\/file-042\.eval\.ts \(0\.1\)/)
    expect(text).toContain('2 runs did not pass:')
    expect(text).toContain('✗ evals/file-007.eval.ts')
    expect(text).toContain('☠ evals/file-009.eval.ts')
    expect(text).toContain('error outside tests: worker exited unexpectedly')
    expect(text).not.toContain('file-010.eval.ts')
    expect(text).toContain(' report .strikes/report.html')
  })

  test('keys are weighted by each run’s points, and keys some runs lack count only the runs that have them', () => {
    const a = run(1, 'passed', 1)
    const b = { ...run(2, 'passed', 0), metrics: [{ name: 'exact', count: 60, avg: 0, min: 0, max: 0 }] }
    const [exact, latency] = keysAcrossRuns([a, b])
    expect(exact).toMatchObject({ name: 'exact', runs: 2, count: 80, mean: 0.25, min: 0, max: 1 })
    expect(exact?.lowest).toEqual({ run: b.name, avg: 0 })
    expect(latency).toMatchObject({ name: 'latency_ms', runs: 1, count: 10 })
  })

  test('a long list of failing runs is cut, with how many more and where to see them', () => {
    const runs = Array.from({ length: 40 }, (_, index) => run(index, 'failed', 0.5))
    const text = formatSuiteSummary(runs, places)
    expect(text.split('\n').length).toBeLessThanOrEqual(25)
    expect(text).toContain('… and 30 more (strikes runs --limit 1)')
  })
})
