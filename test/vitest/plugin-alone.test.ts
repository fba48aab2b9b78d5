/**
 * The plugin alone records: with `plugins: [strikes()]` and no `--reporter=strikes`, strikes records,
 * gates and reports, and Vitest's own output stays — also when the command line names other reporters.
 * `strikes({ enabled: false })` and `STRIKES=0` turn recording off (eval files still run as tests), and
 * `--reporter=strikes` without the plugin keeps working.
 */
import { existsSync } from 'node:fs'
import { describe, test } from 'vitest'
import { installedProject, query } from './installed-project.js'

const FAILING = { FIDELITY_THRESHOLDS: JSON.stringify({ 'alpha.score': 'avg >= 2' }) }

describe.concurrent('the plugin alone records', () => {
  test('no --reporter: recorded, gated (exit 1 on a failed gate), Vitest’s output kept', async ({
    expect,
  }) => {
    const project = installedProject('fidelity')
    const result = await project.vitest([], { env: FAILING })
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/Test Files {2}4 passed/)
    expect(result.stdout).toContain('3 runs recorded')
    expect(result.stdout).toMatch(/✗ {2}alpha\.score/)
    const rows = await query<{ runs: bigint; verdict: string }>(
      project.db,
      'SELECT (SELECT count(*) FROM runs) AS runs, verdict FROM gates',
    )
    expect(rows).toEqual([{ runs: 3n, verdict: 'fail' }])
  })

  test('--reporter=dot on the command line: Vitest’s dot output, and strikes still records', async ({
    expect,
  }) => {
    const project = installedProject('fidelity')
    const result = await project.vitest(['--reporter=dot'], { env: FAILING })
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('3 runs recorded')
    expect(result.stdout).not.toMatch(/✓ evals\/alpha\.eval\.ts \(2 tests\)/)
    expect(await query(project.db, 'SELECT 1 FROM runs')).toHaveLength(3)
  })

  test('enabled: false: eval files run as tests, nothing is recorded or gated, exit 0', async ({
    expect,
  }) => {
    const project = installedProject('fidelity', {
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ enabled: false, thresholds: { 'alpha.score': 'avg >= 2' } })] })
`,
    })
    const result = await project.vitest([])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Test Files {2}4 passed/)
    expect(result.stdout).not.toContain('recorded')
    expect(existsSync(project.db)).toBe(false)
  })

  test('STRIKES=0: the same, even with --reporter=strikes', async ({ expect }) => {
    const project = installedProject('fidelity')
    for (const args of [[], ['--reporter=strikes']]) {
      const result = await project.vitest(args, { env: { ...FAILING, STRIKES: '0' } })
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(result.stdout).toMatch(/Test Files {2}4 passed/)
      expect(existsSync(project.db)).toBe(false)
    }
  })

  test('--reporter=strikes without the plugin records eval files with the defaults', async ({ expect }) => {
    const project = installedProject('no-plugin')
    const result = await project.vitest(['--reporter=strikes'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Test Files {2}1 passed/)
    expect(await query(project.db, 'SELECT name FROM runs')).toEqual([{ name: 'plain.eval.ts' }])
  })
})
