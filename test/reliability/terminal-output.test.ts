/**
 * Terminal escape injection: stored strings (run, task and metric names, params, tags, errors) holding
 * OSC 0 (window title), OSC 52 (clipboard write), carriage returns and erase-line sequences, C1 controls
 * and bidirectional overrides are printed by every CLI command and by the summary with those characters
 * made visible — never raw — while JSON output still reads back as the stored text.
 */
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { evalTask, logMetric, logParam, tag, withRun } from '../../src/index.js'
import { fixtureProject, REPO_ROOT, runNode } from '../helpers/fixture-project.js'

/** Sequences a hostile model output or file could carry. */
const HOSTILE = {
  title: '\u001b]0;pwned\u0007',
  clipboard: '\u001b]52;c;cm0gLXJmIH4=\u0007',
  erase: '\r\u001b[2Kall tests passed',
  c1: '\u009b31mred\u009b0m',
  bidi: 'gnp.\u202eexe',
}
const EVIL = Object.values(HOSTILE).join(' ')

/** Characters a terminal acts on (line feed and tab excepted). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point of the test
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/

const CLI = join(REPO_ROOT, 'dist/reporter/cli/main.js')

let db: string
let first: string
let second: string

beforeAll(async () => {
  const project = fixtureProject(undefined)
  db = join(project.dir, 'strikes.duckdb')
  for (const [index, score] of [0.9, 0.5].entries()) {
    const id = await withRun({ name: `run ${EVIL}`, project: `project ${EVIL}`, db }, async (run) => {
      logParam('prompt', EVIL)
      tag(EVIL)
      const task = evalTask({ name: `task ${EVIL}` }, async (input: string) => {
        logMetric(`quality ${EVIL}`, score)
        if (index === 1) throw new Error(`failed ${EVIL}`)
        return `${input} ${EVIL}`
      })
      await task.try(EVIL)
      return run.sessionId
    })
    if (index === 0) first = id
    else second = id
  }
})

function strikes(args: string[]) {
  return runNode([CLI, ...args, '--db', db], REPO_ROOT, { timeoutMs: 60_000 })
}

function expectNoRawControls(text: string, allowCrlf = false): void {
  const checked = allowCrlf ? text.replaceAll('\r\n', '\n') : text
  const found = RAW_CONTROL.exec(checked)
  expect(found === null ? null : `U+${found[0].charCodeAt(0).toString(16)} at ${found.index}`).toBeNull()
}

describe('every CLI printer escapes control characters of stored text', () => {
  test.each([
    ['runs', ['runs']],
    ['compare', ['compare', 'FIRST', 'SECOND']],
    [
      'query (table)',
      [
        'query',
        'SELECT r.name, r.project, r.params, r.tags, s.name AS task, s.error FROM runs r JOIN spans s USING (run_id)',
      ],
    ],
    [
      'query (csv)',
      ['query', 'SELECT r.name, r.params, s.error FROM runs r JOIN spans s USING (run_id)', '--csv'],
    ],
    ['gate', ['gate', '--key', `quality ${EVIL}`, 'avg >= 0']],
  ])('%s prints visible escapes, never the raw sequence', async (_name, args) => {
    const result = await strikes(
      args.map((arg) => (arg === 'FIRST' ? first : arg === 'SECOND' ? second : arg)),
    )
    expect([0, 1]).toContain(result.code)
    expectNoRawControls(result.stdout + result.stderr, args.includes('--csv'))
    expect(result.stdout + result.stderr).toContain('\\x1b]0;pwned\\x07')
  })

  test.each([
    ['runs --json', ['runs', '--json']],
    ['compare --json', ['compare', 'FIRST', 'SECOND', '--json']],
    ['query --json', ['query', 'SELECT name, params FROM runs', '--json']],
  ])('%s escapes them as \\u escapes, which read back as the stored text', async (_name, args) => {
    const result = await strikes(
      args.map((arg) => (arg === 'FIRST' ? first : arg === 'SECOND' ? second : arg)),
    )
    expect(result.code, result.stderr).toBe(0)
    expectNoRawControls(result.stdout)
    // Read back, the JSON holds the stored text exactly.
    expect(JSON.stringify(JSON.parse(result.stdout))).toContain(JSON.stringify(`run ${EVIL}`).slice(1, -1))
  })
})

describe('the summary after a vitest session escapes them too', () => {
  test('metric keys and gate rows with escape sequences are printed visibly', async () => {
    const project = fixtureProject(undefined, {
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ project: 'terminal', report: false, thresholds: { ${JSON.stringify(`evil.${'\u001b]0;pwned\u0007'}`)}: 'avg >= 0' } })] })
`,
      'evil.eval.ts': `import { evalTask, logMetric } from 'strikes'
import { test } from 'vitest'
const evil = evalTask(async function evil() {
  logMetric(${JSON.stringify(EVIL)}, 1)
  logMetric(${JSON.stringify('\u001b]0;pwned\u0007')}, 1)
  return 'ok'
})
test('logs hostile keys', async () => {
  await evil()
})
`,
    })
    const result = await project.vitest(['--reporter=strikes'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const strikesPart = result.stdout.slice(result.stdout.indexOf(' strikes '))
    expect(strikesPart).toContain('\\x1b]0;pwned\\x07')
    expectNoRawControls(strikesPart)
  })
})
