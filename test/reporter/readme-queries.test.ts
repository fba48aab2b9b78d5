import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query, REPO_ROOT } from '../helpers/fixture-project.js'

/** Every statement of every ```sql block in the README. */
function readmeStatements(): string[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')
  const blocks = [...readme.matchAll(/```sql\n([\s\S]*?)```/g)].map((match) => match[1] as string)
  return blocks
    .flatMap((block) => block.split(/;\s*(?:\n|$)/))
    .map((statement) => statement.replace(/^\s*--.*$/gm, '').trim())
    .filter((statement) => statement !== '')
}

let project: FixtureProject

beforeAll(async () => {
  project = fixtureProject('scoring')
  expect((await project.vitest(['--reporter=strikes'])).code).toBe(0)
})

test('the README has SQL examples', () => {
  expect(readmeStatements().length).toBeGreaterThanOrEqual(3)
})

test.each(readmeStatements().map((statement, index) => [index + 1, statement]))(
  'README query %i runs against a recorded database',
  async (_index, statement) => {
    await expect(query(project.db, statement as string)).resolves.toBeInstanceOf(Array)
  },
)
