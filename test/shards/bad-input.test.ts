/**
 * `strikes merge` given bad input: a file that is not DuckDB, an empty file, a DuckDB file of another
 * application, a strikes database of a newer schema, a half-written (truncated) shard, a shard whose
 * `runs` is a view, two shards claiming one index with different data, the target given as a shard —
 * each refused in one line naming the file (exit 2) with the target byte for byte as it was and the
 * inputs never modified. Shards of different groups given together are merged as separate sessions, and
 * the command says so.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { SCHEMA_VERSION } from '../../reporter/store/schema.js'
import { strikes } from '../cli/strikes-cli.js'
import { fixtureProject, query, runSql } from '../helpers/fixture-project.js'
import { writeSyntheticShard } from './synthetic-shard.js'

let dir: string
/** A valid shard pair of group `g` (2 shards). */
let good: [string, string]
/** The target, seeded with a session of its own. */
let target: string

function hash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

beforeAll(async () => {
  dir = fixtureProject(undefined).dir
  good = [join(dir, 'g-1.duckdb'), join(dir, 'g-2.duckdb')]
  await writeSyntheticShard({ path: good[0], index: 1, count: 2, group: 'g', tasks: 500, runs: 2 })
  await writeSyntheticShard({ path: good[1], index: 2, count: 2, group: 'g', tasks: 500, runs: 2 })
  const seed = join(dir, 'seed.duckdb')
  await writeSyntheticShard({ path: seed, index: 1, count: 1, group: 'seed', tasks: 100 })
  target = join(dir, 'target.duckdb')
  const seeded = await strikes(['merge', '--db', target, seed], dir)
  if (seeded.code !== 0) throw new Error(seeded.stderr)
}, 120_000)

/** Runs `strikes merge` into the target with `shards`; expects exit 2, one line, and the target unchanged. */
async function refused(shards: string[]): Promise<string> {
  const before = hash(target)
  const inputs = shards.map((path) => [path, hash(path)] as const)
  const result = await strikes(['merge', '--db', target, ...shards], dir)
  expect(result.code, result.stdout).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr.trim().split('\n')).toHaveLength(1)
  expect(hash(target)).toBe(before)
  for (const [path, digest] of inputs) expect(hash(path)).toBe(digest)
  return result.stderr.trim()
}

describe('strikes merge refuses bad input and leaves the target as it was', { timeout: 120_000 }, () => {
  test('a file that is not DuckDB', async () => {
    const path = join(dir, 'notes.duckdb')
    writeFileSync(path, 'these are not the shards you are looking for\n'.repeat(100))
    expect(await refused([good[0], path, good[1]])).toBe(
      `strikes: ${path} is not a DuckDB database; nothing was merged`,
    )
  })

  test('an empty file (a shard whose upload was cut)', async () => {
    const path = join(dir, 'empty.duckdb')
    writeFileSync(path, '')
    expect(await refused([good[0], good[1], path])).toContain(
      `${path} is an empty file, not a DuckDB database`,
    )
  })

  test('a DuckDB database of another application', async () => {
    const path = join(dir, 'other-app.duckdb')
    await runSql(path, [
      'CREATE TABLE invoices (id INTEGER, total DOUBLE)',
      'INSERT INTO invoices VALUES (1, 9.5)',
    ])
    expect(await refused([good[0], good[1], path])).toBe(
      `strikes: ${path} is a DuckDB database of another application (no strikes_schema table); nothing was merged`,
    )
  })

  test('a strikes database of a newer schema', async () => {
    const path = join(dir, 'newer.duckdb')
    copyFileSync(good[1], path)
    await runSql(path, [
      `INSERT INTO strikes_schema VALUES (${SCHEMA_VERSION + 1}, 'from the future', now()::TIMESTAMP)`,
    ])
    expect(await refused([good[0], path])).toBe(
      `strikes: ${path} has schema version ${SCHEMA_VERSION + 1}, newer than this strikes (${SCHEMA_VERSION}); upgrade strikes; nothing was merged`,
    )
  })

  test('a half-written shard (the file cut in the middle)', async () => {
    const path = join(dir, 'half.duckdb')
    copyFileSync(good[1], path)
    truncateSync(path, Math.floor(statSync(path).size / 2))
    expect(await refused([good[0], path])).toMatch(new RegExp(`${path}.*(cannot be|not a DuckDB)`))
  })

  test('a shard whose runs table is a view (nothing the file defines is run)', async () => {
    const path = join(dir, 'view.duckdb')
    copyFileSync(good[1], path)
    await runSql(path, [
      'ALTER TABLE runs RENAME TO runs_data',
      'CREATE VIEW runs AS SELECT * FROM runs_data',
    ])
    // The trust rule refuses it before anything reads it, naming what is foreign.
    expect(await refused([good[0], path])).toBe(
      `strikes: ${path} holds objects strikes did not create (view runs: not created by strikes; table runs: ` +
        'missing); they could run code when the file is read, so it was neither read nor changed. If you trust ' +
        'the file, drop them in a DuckDB shell; otherwise delete it; nothing was merged',
    )
  })

  test('two shards claiming the same index with different data', async () => {
    const path = join(dir, 'g-2-other.duckdb')
    await writeSyntheticShard({
      path,
      index: 2,
      count: 2,
      group: 'g',
      tasks: 300,
      score: 0.1,
      sessionId: 'other-run-of-2',
    })
    const line = await refused([good[0], good[1], path])
    expect(line).toContain('two sessions claim shard 2/2 of group "g" with different data')
    expect(line).toContain(good[1])
    expect(line).toContain(path)
  })

  test('the target given as a shard', async () => {
    expect(await refused([good[0], target])).toBe(
      `strikes: ${target} is the target itself; give the shards' databases. Nothing was merged`,
    )
  })
})

describe('strikes merge with shards of different groups', { timeout: 120_000 }, () => {
  test('merges each group as its own session and says so', async () => {
    const other: [string, string] = [join(dir, 'h-1.duckdb'), join(dir, 'h-2.duckdb')]
    await writeSyntheticShard({ path: other[0], index: 1, count: 2, group: 'h', tasks: 200 })
    await writeSyntheticShard({ path: other[1], index: 2, count: 2, group: 'h', tasks: 200 })
    const into = join(dir, 'groups.duckdb')
    const result = await strikes(['merge', '--db', into, good[0], other[0], good[1], other[1]], dir)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      /merged shards 1\/2 and 2\/2 of group "g" into session \S+: 4 runs, 1000 tasks/,
    )
    expect(result.stdout).toMatch(
      /merged shards 1\/2 and 2\/2 of group "h" into session \S+: 2 runs, 400 tasks/,
    )
    expect(result.stdout).toContain(
      'note: the shards belong to 2 different session groups ("g", "h"), so they were merged as 2 separate sessions',
    )
    const sessions = await query<{ session_group: string; runs: bigint; tasks: bigint }>(
      into,
      `SELECT s.session_group, (SELECT count(*) FROM runs r WHERE r.session_id = s.session_id) AS runs,
         (SELECT count(*) FROM spans p JOIN runs r USING (run_id) WHERE r.session_id = s.session_id) AS tasks
       FROM sessions s ORDER BY 1`,
    )
    expect(sessions.map((row) => [row.session_group, Number(row.runs), Number(row.tasks)])).toEqual([
      ['g', 4, 1000],
      ['h', 2, 400],
    ])
  })
})
