/** `strikes runs`: recent sessions, newest first, each with its runs. */
import { beforeAll, expect, test } from 'vitest'
import { type RecordedProject, recordedProject, strikes } from './strikes-cli.js'

let recorded: RecordedProject

beforeAll(async () => {
  recorded = await recordedProject()
})

test('lists every session, newest first, with its runs', async () => {
  const result = await strikes(['runs'], recorded.project.dir)
  expect(result.code).toBe(0)
  const second = result.stdout.indexOf(recorded.second)
  const first = result.stdout.indexOf(recorded.first)
  expect(second).toBeGreaterThanOrEqual(0)
  expect(first).toBeGreaterThan(second)
  expect(result.stdout).toContain('summarize.eval.ts')
  expect(result.stdout).toContain('classify.eval.ts')
})

test('--limit N shows only the newest N sessions', async () => {
  const result = await strikes(['runs', '--limit', '1'], recorded.project.dir)
  expect(result.code).toBe(0)
  expect(result.stdout).toContain(recorded.second)
  expect(result.stdout).not.toContain(recorded.first)
})

test('--json gives sessions with their runs, task counts and statuses', async () => {
  const result = await strikes(['runs', '--json'], recorded.project.dir)
  expect(result.code).toBe(0)
  const sessions = JSON.parse(result.stdout) as {
    session_id: string
    status: string
    gate_passed: boolean | null
    runs: { name: string; project: string; status: string; tasks: number; failed_tasks: number }[]
  }[]
  expect(sessions.map((session) => session.session_id)).toEqual([recorded.second, recorded.first])
  expect(sessions[0]?.runs).toEqual([
    expect.objectContaining({
      name: 'classify.eval.ts',
      project: 'gates',
      status: 'passed',
      tasks: 4,
      failed_tasks: 0,
    }),
    expect.objectContaining({
      name: 'summarize.eval.ts',
      project: 'gates',
      status: 'passed',
      tasks: 3,
      failed_tasks: 0,
    }),
  ])
})
