/**
 * Gate failures reach CI surfaces: with `--reporter=junit --reporter=json --reporter=github-actions` and a
 * failed gate, Vitest's own files keep saying the tests passed, and strikes writes the gates' JUnit XML
 * (one test case per gate and run, the failed gate as a failure with observed against expected), prints
 * one `::error` annotation per failed gate under GitHub Actions, and appends a job summary.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'vitest'
import { installedProject } from './installed-project.js'

test('a failed gate under GitHub Actions: JUnit failure, ::error annotation, job summary, exit 1', async ({
  expect,
}) => {
  const project = installedProject('fidelity')
  const summary = join(project.dir, 'step-summary.md')
  const result = await project.vitest(
    [
      '--reporter=junit',
      '--reporter=json',
      '--reporter=github-actions',
      '--outputFile.junit=junit.xml',
      '--outputFile.json=results.json',
    ],
    {
      env: {
        FIDELITY_THRESHOLDS: JSON.stringify({ 'alpha.score': 'avg >= 2', 'beta.score': 'avg >= 1' }),
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: summary,
      },
    },
  )
  expect(result.code).toBe(1)
  // Vitest's own surfaces know only tests, which passed.
  expect(readFileSync(join(project.dir, 'junit.xml'), 'utf8')).toMatch(/<testsuites [^>]*failures="0"/)
  expect(JSON.parse(readFileSync(join(project.dir, 'results.json'), 'utf8'))).toMatchObject({ success: true })
  // strikes' JUnit XML of the gates.
  const gates = readFileSync(join(project.dir, '.strikes/gates.xml'), 'utf8')
  expect(gates).toMatch(/<testsuites name="strikes gates" tests="2" failures="1" errors="0" skipped="0"/)
  expect(gates).toContain(
    '<testcase classname="strikes.gates.evals/alpha.eval.ts" name="alpha.score: avg &gt;= 2" file="evals/alpha.eval.ts" time="0">',
  )
  expect(gates).toContain(
    '<failure type="fail" message="alpha.score avg &gt;= 2: observed 1, expected &gt;= 2">',
  )
  expect(gates).toContain('name="beta.score: avg &gt;= 1" file="evals/beta.eval.ts" time="0"/>')
  // One ::error annotation per failed gate, on the eval file.
  const annotations = result.stdout.split('\n').filter((line) => line.startsWith('::error'))
  const strikesAnnotations = annotations.filter((line) => line.includes('strikes gate failed'))
  expect(strikesAnnotations).toEqual([
    '::error file=evals/alpha.eval.ts,title=strikes gate failed%3A alpha.score avg >= 2::alpha.score avg >= 2 in evals/alpha.eval.ts: observed 1, expected >= 2 — avg 1 is not >= 2',
  ])
  // The job summary: status, the gate table, the runs, where the database and report are.
  const markdown = readFileSync(summary, 'utf8')
  expect(markdown).toContain('## strikes · ❌ gates failed')
  expect(markdown).toContain(
    '| ❌ | <code>alpha.score</code> | <code>avg &gt;= 2</code> | evals/alpha.eval.ts | observed 1, expected &gt;= 2 | fail |',
  )
  expect(markdown).toContain('| evals/beta.eval.ts | passed | 3 | 0 | 2 | 0 |')
  expect(markdown).toContain('Database: <code>.strikes/strikes.duckdb</code>')
  expect(markdown).toContain('Report: <code>.strikes/report.html</code>')
})

test('outside GitHub Actions no annotation is printed and no summary appended; junit: false writes no XML', async ({
  expect,
}) => {
  const project = installedProject('fidelity', {
    'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ junit: false, thresholds: { 'alpha.score': 'avg >= 2' } })] })
`,
  })
  const result = await project.vitest([], { env: { GITHUB_ACTIONS: undefined } })
  expect(result.code).toBe(1)
  expect(result.stdout).not.toContain('::error')
  expect(() => readFileSync(join(project.dir, '.strikes/gates.xml'))).toThrow(/ENOENT/)
})
