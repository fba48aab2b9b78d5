/**
 * `--coverage` with the plugin: eval files are tests, not covered source — they are excluded from
 * coverage by default, while the code they exercise is covered.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { test } from 'vitest'
import { installedProject } from './installed-project.js'

test('eval files are excluded from coverage by default; the source they call is covered', async ({
  expect,
}) => {
  const project = installedProject('fidelity')
  const result = await project.vitest([
    '--coverage.enabled',
    '--coverage.provider=v8',
    '--coverage.reporter=json',
    '--coverage.reportsDirectory=coverage',
  ])
  expect(result.code, result.stdout + result.stderr).toBe(0)
  const covered = Object.keys(
    JSON.parse(readFileSync(join(project.dir, 'coverage/coverage-final.json'), 'utf8')) as Record<
      string,
      unknown
    >,
  ).map((file) => file.slice(project.dir.length + 1))
  expect(covered).toEqual(['src/math.ts'])
})
