/**
 * Small things a user notices: span timestamps come from the real clock under fake timers; the report
 * written during the run shows the versions; two different tasks sharing a label get one warning naming
 * both (anonymous arrow functions included), while a task and its `.with()` variant do not.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'vitest'
import { installedProject, query } from './installed-project.js'

describe.concurrent('small things', () => {
  test('fake timers and setSystemTime(2020) change nothing about when tasks ran', async ({ expect }) => {
    const project = installedProject('fidelity', {
      'evals/clock.eval.ts': `import { evalTask, logMetric } from 'strikes'
import { expect, test, vi } from 'vitest'

const task = evalTask(async function timed(n: number) {
  logMetric('n', n)
  return n
})

test('under fake timers', async () => {
  vi.useFakeTimers({ toFake: ['Date', 'performance', 'setTimeout', 'setInterval'] })
  vi.setSystemTime(new Date('2020-01-01T00:00:00Z'))
  expect(new Date().getFullYear()).toBe(2020)
  for (let i = 0; i < 40; i++) await task(i)
  vi.advanceTimersByTime(60_000)
  vi.useRealTimers()
})
`,
    })
    const before = Date.now()
    const result = await project.vitest(['evals/clock'])
    const after = Date.now()
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const [row] = await query<{ first: Date; last: Date; test_start: Date; ts: Date; tasks: bigint }>(
      project.db,
      `SELECT min(s.started_at) FILTER (WHERE s.kind = 'task') AS first, max(s.started_at) FILTER (WHERE s.kind = 'task') AS last,
         min(s.started_at) FILTER (WHERE s.kind = 'test') AS test_start,
         (SELECT min(ts) FROM metrics) AS ts, count(*) FILTER (WHERE s.kind = 'task') AS tasks
       FROM spans s`,
    )
    expect(row?.tasks).toBe(40n)
    for (const value of [row?.first, row?.last, row?.test_start, row?.ts]) {
      expect(value?.getTime()).toBeGreaterThanOrEqual(before - 1000)
      expect(value?.getTime()).toBeLessThanOrEqual(after + 1000)
    }
    expect(row?.first.getTime()).toBeGreaterThanOrEqual(row?.test_start.getTime() ?? 0)
  })

  test('the report written by the reporter shows the strikes and vitest versions', async ({ expect }) => {
    const project = installedProject('fidelity')
    const result = await project.vitest(['evals/alpha'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const { version } = JSON.parse(
      readFileSync(join(project.dir, 'node_modules/strikes/package.json'), 'utf8'),
    ) as {
      version: string
    }
    const report = readFileSync(join(project.dir, '.strikes/report.html'), 'utf8')
    expect(report).toMatch(
      new RegExp(`<dd>strikes ${version.replace(/\./g, '\\.')} · vitest 4\\.\\d+\\.\\d+</dd>`),
    )
  })

  test('two different tasks sharing a label get one warning naming both; a .with() variant does not', async ({
    expect,
  }) => {
    const project = installedProject('fidelity', {
      'evals/labels.eval.ts': `import { evalTask } from 'strikes'
import { test } from 'vitest'

const wordCount = evalTask(async (text: string) => text.split(' ').length)
const charCount = evalTask(async (text: string) => text.length)
const summarize = evalTask(async function summarize(text: string) { return text.slice(0, 5) })
const terse = summarize.with({ name: 'Terse', label: 'summarize' })
const left = evalTask({ label: 'shared' }, async (n: number) => n)
const right = evalTask({ label: 'shared' }, async (n: number) => n + 1)

test('labels', async () => {
  for (let i = 0; i < 3; i++) {
    await wordCount('a b c')
    await charCount('a b c')
  }
  await summarize('hello world')
  await terse('hello world')
  await left(1)
  await right(1)
})
`,
    })
    const result = await project.vitest(['evals/labels'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const output = result.stdout + result.stderr
    const warnings = output.split('\n').filter((line) => line.includes('share the label'))
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('run "evals/labels.eval.ts": two different tasks share the label "task"')
    expect(warnings[0]).toContain('task "task" (async (text) => text.split(" ").length)')
    expect(warnings[0]).toContain('task "task" (async (text) => text.length)')
    expect(warnings[0]).toContain('so their metrics merge into "task.*"')
  })
})
