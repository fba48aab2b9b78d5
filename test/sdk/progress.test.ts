import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { fixtureProject } from '../helpers/fixture-project.js'

test('a long batch prints done/total, failures and rate with the test output, and the json reporter stays valid', async () => {
  const project = fixtureProject('progress')
  const result = await project.vitest([
    '--reporter=default',
    '--reporter=strikes',
    '--reporter=json',
    '--outputFile.json=results.json',
  ])
  expect(result.code, result.stderr).toBe(0)
  const lines = result.stdout.split('\n').filter((line) => line.startsWith('strikes: slow.tryMap'))
  expect(lines.length).toBeGreaterThanOrEqual(2)
  expect(lines.at(-1)).toMatch(/^strikes: slow\.tryMap done 200\/200 \(100%\) · 4 failed · [\d.]+\/s/)
  expect(lines[0]).toMatch(/^strikes: slow\.tryMap running \d+\/200 \(\d+%\) · \d failed · [\d.]+\/s/)
  const json = JSON.parse(readFileSync(join(project.dir, 'results.json'), 'utf8')) as {
    numPassedTests: number
  }
  expect(json.numPassedTests).toBe(1)
})

test('progress: false prints no progress lines', async () => {
  const project = fixtureProject('progress')
  project.write(
    'vitest.config.ts',
    `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ progress: false })] })
`,
  )
  const result = await project.vitest(['--reporter=strikes'])
  expect(result.code).toBe(0)
  expect(result.stdout).not.toContain('strikes: slow.tryMap')
})
