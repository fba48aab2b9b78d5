/**
 * Vitest projects: each project's plugin options (db, project name, thresholds, report) apply to its own
 * runs only, databases may be shared or split, `--project` runs eval files only in projects that have the
 * plugin, a root plugin inherited with `extends: true` runs an eval file once (in the first project), and
 * run names are unique within a database.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'vitest'
import { installedProject, query } from './installed-project.js'

interface GateRow {
  key: string
  run: string | null
  verdict: string
}

const GATES = `SELECT g.key, r.name AS run, g.verdict FROM gates g LEFT JOIN runs r USING (run_id) ORDER BY g.key`

describe.concurrent('projects', () => {
  test("packages/* with a plugin each: every package's options apply to its own runs only", async ({
    expect,
  }) => {
    const project = installedProject('monorepo')
    const result = await project.vitest([])
    expect(result.code).toBe(1)
    const alphaDb = join(project.dir, 'packages/alpha/.strikes/alpha.duckdb')
    const betaDb = join(project.dir, 'packages/beta/.strikes/beta.duckdb')
    expect(existsSync(join(project.dir, '.strikes'))).toBe(false)
    const runsOf = (db: string) =>
      query<{ project: string; name: string }>(db, 'SELECT project, name FROM runs ORDER BY name')
    expect(await runsOf(alphaDb)).toEqual([
      { project: 'alpha-evals', name: 'packages/alpha/evals/main.eval.ts' },
    ])
    expect(await runsOf(betaDb)).toEqual([
      { project: 'beta-evals', name: 'packages/beta/evals/main.eval.ts' },
    ])
    expect(await query<GateRow>(alphaDb, GATES)).toEqual([
      { key: 'alpha.quality', run: 'packages/alpha/evals/main.eval.ts', verdict: 'pass' },
    ])
    expect(await query<GateRow>(betaDb, GATES)).toEqual([
      { key: 'beta.quality', run: 'packages/beta/evals/main.eval.ts', verdict: 'fail' },
    ])
    for (const file of ['packages/alpha/.strikes/alpha.html', 'packages/beta/.strikes/beta-gates.xml']) {
      expect(existsSync(join(project.dir, file)), file).toBe(true)
    }
    // The unit tests of both packages ran, unrecorded.
    expect(result.stdout).toMatch(/Test Files {2}4 passed/)
  })

  test('two packages sharing one database: one session, both runs, each gated by its own thresholds', async ({
    expect,
  }) => {
    const project = installedProject('monorepo')
    const result = await project.vitest([], { env: { MONOREPO_DB: '../../.strikes/shared.duckdb' } })
    expect(result.code).toBe(1)
    const db = join(project.dir, '.strikes/shared.duckdb')
    const runs = await query<{ sessions: bigint; project: string; name: string }>(
      db,
      'SELECT (SELECT count(*) FROM sessions) AS sessions, project, name FROM runs ORDER BY name',
    )
    expect(runs).toEqual([
      { sessions: 1n, project: 'alpha-evals', name: 'packages/alpha/evals/main.eval.ts' },
      { sessions: 1n, project: 'beta-evals', name: 'packages/beta/evals/main.eval.ts' },
    ])
    expect(await query<GateRow>(db, GATES)).toEqual([
      { key: 'alpha.quality', run: 'packages/alpha/evals/main.eval.ts', verdict: 'pass' },
      { key: 'beta.quality', run: 'packages/beta/evals/main.eval.ts', verdict: 'fail' },
    ])
  })

  test('--project runs eval files only in projects that have the plugin', async ({ expect }) => {
    const project = installedProject(undefined, {
      'package.json': '{ "name": "mixed", "private": true, "type": "module" }',
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ test: { projects: [
  { test: { name: 'unit' } },
  { plugins: [strikes({ thresholds: { 'answer.quality': 'avg >= 0.9' } })], test: { name: 'evals', include: [] } },
] } })
`,
      'src/unit.test.ts': `import { expect, test } from 'vitest'
test('unit', () => expect(1).toBe(1))
`,
      'evals/answer.eval.ts': `import { evalTask, logMetric } from 'strikes'
import { test } from 'vitest'
console.log('EVAL FILE EXECUTED')
const answer = evalTask(async function answer(q: string) { logMetric('quality', 0.1); return q })
test('answers', async () => { await answer('q') })
`,
    })
    const unitOnly = await project.vitest(['--project', 'unit'])
    expect(unitOnly.code, unitOnly.stdout + unitOnly.stderr).toBe(0)
    expect(unitOnly.stdout).not.toContain('EVAL FILE EXECUTED')
    expect(unitOnly.stdout).toMatch(/Test Files {2}1 passed/)
    expect(existsSync(project.db)).toBe(false)
    const all = await project.vitest([])
    expect(all.code).toBe(1)
    expect(await query<{ name: string }>(project.db, 'SELECT name FROM runs')).toEqual([
      { name: 'evals/answer.eval.ts' },
    ])
  })

  test('a root plugin with extends: true projects runs each eval file once, in the first project', async ({
    expect,
  }) => {
    const project = installedProject('fidelity', {
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({
  plugins: [strikes({ thresholds: { 'alpha.score': 'avg >= 1' } })],
  test: { projects: [{ extends: true, test: { name: 'first' } }, { extends: true, test: { name: 'second' } }] },
})
`,
    })
    const result = await project.vitest([])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    // Vitest's own line for the file: once, in the first project.
    const vitestLines = result.stdout
      .split('\n')
      .filter((line) => /evals\/alpha\.eval\.ts \(\d+ tests?\)/.test(line))
    expect(vitestLines).toHaveLength(1)
    expect(vitestLines[0]).toContain('first')
    const rows = await query<{ name: string }>(project.db, 'SELECT name FROM runs ORDER BY name')
    expect(rows.map((row) => row.name)).toEqual([
      'evals/alpha.eval.ts',
      'evals/beta.eval.ts',
      'evals/gamma.eval.ts',
    ])
    expect(await query<GateRow>(project.db, GATES)).toEqual([
      { key: 'alpha.score', run: 'evals/alpha.eval.ts', verdict: 'pass' },
    ])
  })

  test('two projects recording the same file into one database get run names with the project name', async ({
    expect,
  }) => {
    const project = installedProject('fidelity', {
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ test: { projects: [
  { plugins: [strikes({ project: 'fidelity', include: ['evals/alpha.eval.ts'] })], test: { name: 'node', include: [] } },
  { plugins: [strikes({ project: 'fidelity', include: ['evals/alpha.eval.ts'] })], test: { name: 'edge', include: [] } },
] } })
`,
    })
    const result = await project.vitest([])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const rows = await query<{ name: string }>(project.db, 'SELECT name FROM runs ORDER BY name')
    expect(rows.map((row) => row.name)).toEqual(['evals/alpha.eval.ts [edge]', 'evals/alpha.eval.ts [node]'])
  })
})
