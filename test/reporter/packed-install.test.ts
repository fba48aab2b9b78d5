import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
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
  writeFileSync(
    join(consumer, 'evals/strikes-error.eval.ts'),
    `import { logMetric } from 'strikes'
import { test } from 'vitest'

test.fails('an error inside strikes', () => {
  logMetric('score', Number.NaN)
})
`,
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
  expectShippedSourceMaps(join(consumer, 'node_modules/strikes'))
  await expectStackTraceResolves(consumer)
}, 300_000)

/** Every source map shipped carries the sources it points to (`inlineSources`), so none points at a missing file. */
function expectShippedSourceMaps(packageDir: string): void {
  const maps = readdirSync(join(packageDir, 'dist'), { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.js.map'),
  )
  expect(maps.length).toBeGreaterThan(50)
  for (const file of maps) {
    const map = JSON.parse(readFileSync(join(packageDir, 'dist', file), 'utf8')) as {
      sources: string[]
      sourcesContent?: (string | null)[]
    }
    expect(map.sourcesContent?.length, file).toBe(map.sources.length)
    expect(
      map.sourcesContent?.every((content) => typeof content === 'string' && content.length > 0),
      file,
    ).toBe(true)
  }
}

/**
 * An error thrown inside strikes prints frames mapped to strikes' TypeScript sources; the map of the
 * shipped file holds that source, and the line the frame names is the line that threw.
 */
async function expectStackTraceResolves(consumer: string): Promise<void> {
  // The file expected the failure (`test.fails`); without that, Vitest prints the error's stack.
  writeFileSync(
    join(consumer, 'evals/strikes-error.eval.ts'),
    `import { logMetric } from 'strikes'
import { test } from 'vitest'

test('an error inside strikes', () => {
  logMetric('score', Number.NaN)
})
`,
  )
  const failing = await runNode(
    [join(consumer, 'node_modules/vitest/vitest.mjs'), 'run', 'evals/strikes-error'],
    consumer,
    { env: { STRIKES: '0' } },
  )
  const frame = /node_modules\/strikes\/(src\/[\w/-]+\.ts):(\d+):\d+/.exec(failing.stdout + failing.stderr)
  expect(frame, failing.stdout + failing.stderr).not.toBeNull()
  const [, source, line] = frame as unknown as [string, string, string]
  const mapFile = join(consumer, 'node_modules/strikes/dist', source.replace(/\.ts$/, '.js.map'))
  const map = JSON.parse(readFileSync(mapFile, 'utf8')) as { sources: string[]; sourcesContent: string[] }
  const index = map.sources.findIndex(
    (entry) => relative(join(consumer, 'node_modules/strikes'), join(mapFile, '..', entry)) === source,
  )
  expect(index).toBeGreaterThanOrEqual(0)
  const thrower = map.sourcesContent[index]?.split('\n')[Number(line) - 1]
  expect(thrower).toMatch(/throw new TypeError/)
}
