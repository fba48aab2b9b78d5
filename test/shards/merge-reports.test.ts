/**
 * `vitest --merge-reports --reporter=strikes` after a sharded run (three `--shard=i/3 --reporter=blob`
 * runs of one checkout, each leaving its own database, as three CI machines do). Without the shards'
 * databases it says in one line where to put them (or to run `strikes merge`) and records, gates and
 * overwrites nothing — never "0 runs recorded". With them under `.strikes/shards/`, it merges them into
 * one session, gates it with the stored thresholds and writes the report.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

let project: FixtureProject
let store: string

beforeAll(async () => {
  project = fixtureProject('shards')
  store = join(project.dir, 'downloaded')
  for (const index of [1, 2, 3]) {
    const shard = await project.vitest([`--shard=${index}/3`, '--reporter=blob', '--reporter=default'])
    if (shard.code !== 0) throw new Error(shard.stdout + shard.stderr)
    // Each machine uploads its own `.strikes/`; the next starts from a clean checkout.
    mkdirSync(join(store, String(index)), { recursive: true })
    renameSync(join(project.dir, '.strikes/strikes.duckdb'), join(store, String(index), 'strikes.duckdb'))
    rmSync(join(project.dir, '.strikes'), { recursive: true, force: true })
  }
}, 240_000)

describe('vitest --merge-reports --reporter=strikes', { timeout: 240_000 }, () => {
  test('without the shards’ databases: one line pointing to strikes merge; nothing recorded, gated or overwritten', async () => {
    mkdirSync(join(project.dir, '.strikes'), { recursive: true })
    writeFileSync(join(project.dir, '.strikes/report.html'), 'the previous report')
    const result = await project.vitest(['--merge-reports', '--reporter=strikes'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const output = result.stdout + result.stderr
    const lines = output.split('\n').filter((line) => line.startsWith('strikes'))
    expect(lines).toEqual([
      "strikes: --merge-reports replays Vitest's blob reports, which hold no strikes data; nothing was recorded. " +
        "Put each shard's database under .strikes/shards/ (e.g. .strikes/shards/1/strikes.duckdb) to merge them here, " +
        'or run npx strikes merge --db .strikes/strikes.duckdb <shard.duckdb>...',
    ])
    expect(output).not.toContain('runs recorded')
    expect(output).not.toContain('no data')
    expect(readFileSync(join(project.dir, '.strikes/report.html'), 'utf8')).toBe('the previous report')
    expect(existsSync(project.db)).toBe(false)
  })

  test('with the shards’ databases under .strikes/shards/: one merged session, gated and reported', async () => {
    cpSync(store, join(project.dir, '.strikes/shards'), { recursive: true })
    const result = await project.vitest(['--merge-reports', '--reporter=strikes'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      /merged shards 1\/3, 2\/3 and 3\/3 of group ".+" into session \S+: 4 runs, 44 tasks/,
    )
    expect(result.stdout).toContain('4 runs recorded')
    expect(result.stdout).toMatch(/gates {2}5 passed · 0 failed/)
    const sessions = await query<{ shard_count: number; gate_passed: boolean; partial: boolean }>(
      project.db,
      'SELECT shard_count, gate_passed, partial FROM sessions',
    )
    expect(sessions).toEqual([{ shard_count: 3, gate_passed: true, partial: false }])
    const [tasks] = await query<{ n: bigint }>(
      project.db,
      "SELECT count(*) AS n FROM spans WHERE kind = 'task'",
    )
    expect(Number(tasks?.n)).toBe(44)
    const report = readFileSync(join(project.dir, '.strikes/report.html'), 'utf8')
    expect(report).not.toBe('the previous report')
    expect(report).toContain('evals/spell.eval.ts')
  })
})
