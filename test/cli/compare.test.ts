/** `strikes compare`: two sessions side by side per run and key, regressions first. */
import { beforeAll, expect, test } from 'vitest'
import { type RecordedProject, recordedProject, strikes } from './strikes-cli.js'

let recorded: RecordedProject

interface CompareJson {
  a: string
  b: string
  aggregate: string
  rows: { run: string; key: string; a?: number; b?: number; delta?: number; status: string }[]
}

async function compareJson(args: string[]): Promise<CompareJson> {
  const result = await strikes(['compare', ...args, '--json'], recorded.project.dir)
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as CompareJson
}

beforeAll(async () => {
  recorded = await recordedProject()
})

test('the key that dropped is listed first as regressed, the unchanged key after it', async () => {
  const json = await compareJson([recorded.first, recorded.second])
  expect(json).toMatchObject({ a: recorded.first, b: recorded.second, aggregate: 'avg' })
  expect(json.rows.map((row) => [row.run, row.key, row.status])).toEqual([
    ['summarize.eval.ts', 'summarize.quality', 'regressed'],
    ['classify.eval.ts', 'classify.correct', 'unchanged'],
  ])
  expect(json.rows[0]?.delta).toBeCloseTo(-0.1, 10)
})

test('the table output puts the regression first', async () => {
  const result = await strikes(['compare', recorded.first.slice(0, 8), 'latest'], recorded.project.dir)
  expect(result.code).toBe(0)
  const regressed = result.stdout.indexOf('regressed')
  expect(regressed).toBeGreaterThan(0)
  expect(regressed).toBeLessThan(result.stdout.indexOf('unchanged'))
})

test('--lower-is-better turns a drop into an improvement; --agg picks the aggregate', async () => {
  const json = await compareJson([
    recorded.first,
    recorded.second,
    '--lower-is-better',
    'summarize.quality',
    '--agg',
    'min',
  ])
  expect(json.rows[0]).toMatchObject({ key: 'summarize.quality', status: 'improved', a: 0.8, b: 0.6 })
})

test('comparing the other way round, the rise is an improvement', async () => {
  const json = await compareJson([recorded.second, recorded.first])
  expect(json.rows.find((row) => row.key === 'summarize.quality')?.status).toBe('improved')
})

test('an unknown session fails with exit 2', async () => {
  const result = await strikes(['compare', recorded.first, 'nope-nope'], recorded.project.dir)
  expect(result.code).toBe(2)
  expect(result.stderr).toContain('no session matches "nope-nope"')
})
