import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { query, REPO_ROOT, runNode } from '../helpers/fixture-project.js'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

test('the packed package installs into a new project and records its evals with --reporter=strikes', async () => {
  const work = mkdtempSync(join(REPO_ROOT, 'test/.tmp/packed-'))
  execFileSync(npm, ['pack', '--ignore-scripts', '--pack-destination', work, '--silent'], {
    cwd: REPO_ROOT,
    stdio: 'pipe',
  })
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'))
  expect(tarball).toBeDefined()
  const consumer = join(work, 'consumer')
  mkdirSync(join(consumer, 'evals'), { recursive: true })
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2),
  )
  writeFileSync(
    join(consumer, 'vitest.config.ts'),
    `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes()] })
`,
  )
  writeFileSync(
    join(consumer, 'evals/summary.eval.ts'),
    `import { evalTask, scorer } from 'strikes'
import { exactMatch } from 'strikes/scorers'
import { expect, test } from 'vitest'

const short = scorer('short', (output: string) => output.length < 20)
const summarize = evalTask({ scorers: [short, exactMatch()] }, async function summarize(row: { text: string; expected: string }) {
  return row.text.split('.')[0] ?? ''
})

test('summaries', async () => {
  const outputs = await summarize.map([
    { text: 'First. Second.', expected: 'First' },
    { text: 'One. Two.', expected: 'Uno' },
  ])
  expect(outputs).toEqual(['First', 'One'])
})
`,
  )
  execFileSync(
    npm,
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(work, tarball as string),
      'vitest@4.1.12',
    ],
    { cwd: consumer, stdio: 'pipe' },
  )
  const result = await runNode(
    [join(consumer, 'node_modules/vitest/vitest.mjs'), 'run', '--reporter=strikes'],
    consumer,
  )
  expect(result.code, result.stdout + result.stderr).toBe(0)
  const rows = await query<{ project: string; name: string; key: string; avg: number }>(
    join(consumer, '.strikes/strikes.duckdb'),
    `SELECT r.project, r.name, m.name AS key, m.avg FROM runs r JOIN metric_summary m USING (run_id) ORDER BY key`,
  )
  expect(rows).toEqual([
    { project: 'consumer', name: 'evals/summary.eval.ts', key: 'summarize.exact_match', avg: 0.5 },
    { project: 'consumer', name: 'evals/summary.eval.ts', key: 'summarize.short', avg: 1 },
  ])
}, 300_000)
