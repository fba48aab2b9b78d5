/**
 * Sharded runs merged into one session. The `shards` fixture suite runs whole in one folder, and as
 * `--shard=i/3` in three other folders (separate databases, as separate CI machines): each shard exits 0
 * on its own gates (keys of other shards are `not run`); `strikes merge` makes the three one session with
 * exactly the rows of the unsharded one — per-table counts, metric summaries, gate verdicts — each run
 * keeping its shard; merging again adds nothing; a missing shard is named (exit 2, target unchanged), or
 * merged as a partial session with `--allow-partial`; `strikes gate`, `report`, `runs` and `query` read
 * the merged session without a vitest config.
 */
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { strikes } from '../cli/strikes-cli.js'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

const TABLES = ['runs', 'spans', 'metrics', 'run_metrics', 'objects', 'task_io', 'session_files', 'gates']

let whole: FixtureProject
let shards: FixtureProject[]
let shardCodes: (number | null)[]

beforeAll(async () => {
  whole = fixtureProject('shards')
  shards = [1, 2, 3].map(() => fixtureProject('shards'))
  const results = await Promise.all([
    whole.vitest([]),
    ...shards.map((shard, index) => shard.vitest([`--shard=${index + 1}/3`])),
  ])
  for (const result of results) if (result.code !== 0) throw new Error(result.stdout + result.stderr)
  shardCodes = results.slice(1).map((result) => result.code)
}, 240_000)

/** Row counts of each table, for the only (or the given) session of a database. */
async function counts(db: string, sessionId?: string): Promise<Record<string, number>> {
  const session = sessionId === undefined ? '(SELECT max(session_id) FROM sessions)' : `'${sessionId}'`
  const result: Record<string, number> = {}
  for (const table of TABLES) {
    const scope = ['runs', 'session_files', 'gates'].includes(table)
      ? `session_id = ${session}`
      : `run_id IN (SELECT run_id FROM runs WHERE session_id = ${session})`
    const [row] = await query<{ n: bigint }>(db, `SELECT count(*) AS n FROM ${table} WHERE ${scope}`)
    result[table] = Number(row?.n)
  }
  return result
}

/** The metric summaries per run name and key. */
function summaries(db: string): Promise<unknown[]> {
  return query(
    db,
    `SELECT r.name AS run, m.name AS key, m.count, round(m.avg, 12) AS avg, m.min, m.max, m.p50, m.p95
     FROM metric_summary m JOIN runs r USING (run_id) ORDER BY run, key`,
  )
}

/** The gate verdicts per key, expression and run name. */
function verdicts(db: string, sessionId?: string): Promise<unknown[]> {
  const session = sessionId === undefined ? '(SELECT max(session_id) FROM sessions)' : `'${sessionId}'`
  return query(
    db,
    `SELECT g.key, g.expression, r.name AS run, g.observed, g.verdict, g.passed FROM gates g
     LEFT JOIN runs r USING (run_id) WHERE g.session_id = ${session} ORDER BY g.seq`,
  )
}

function fileHash(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

describe('sharded sessions and strikes merge', { timeout: 240_000 }, () => {
  test('each shard exits 0 on its own gates; keys of other shards are not run; the shard and group are stored', async () => {
    expect(shardCodes).toEqual([0, 0, 0])
    const groups = new Set<string>()
    for (const [index, shard] of shards.entries()) {
      const [session] = await query<{ shard_index: number; shard_count: number; session_group: string }>(
        shard.db,
        'SELECT shard_index, shard_count, session_group FROM sessions',
      )
      expect(session).toMatchObject({ shard_index: index + 1, shard_count: 3 })
      groups.add(session?.session_group ?? '')
      const runs = await query<{ name: string; shard_index: number }>(
        shard.db,
        'SELECT name, shard_index FROM runs',
      )
      expect(runs.every((run) => run.shard_index === index + 1)).toBe(true)
      const ran = new Set(runs.map((run) => run.name))
      for (const gate of (await verdicts(shard.db)) as { run: string | null; verdict: string }[]) {
        expect(gate.verdict).toBe(gate.run !== null && ran.has(gate.run) ? 'pass' : 'not run')
      }
    }
    // The shards of one run of the suite share a group (here: the git sha and the shard count).
    expect(groups.size).toBe(1)
  })

  test('merged, the three shards are one session with exactly the rows, summaries and verdicts of the whole run', async ({
    task,
  }) => {
    const dir = fixtureProject(undefined).dir
    const target = join(dir, `merged-${task.id}.duckdb`)
    const merged = await strikes(['merge', '--db', target, ...shards.map((shard) => shard.db)], dir)
    expect(merged.code, merged.stderr).toBe(0)
    expect(merged.stdout).toMatch(
      /merged shards 1\/3, 2\/3 and 3\/3 of group ".+" into session \S+: 4 runs, 44 tasks/,
    )
    const sessions = await query<{
      session_id: string
      partial: boolean
      shard_index: null
      shard_count: number
      gate_passed: boolean
    }>(target, 'SELECT session_id, partial, shard_index, shard_count, gate_passed FROM sessions')
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({
      partial: false,
      shard_index: null,
      shard_count: 3,
      gate_passed: true,
    })
    expect(await counts(target)).toEqual(await counts(whole.db))
    expect(await summaries(target)).toEqual(await summaries(whole.db))
    expect(await verdicts(target)).toEqual(await verdicts(whole.db))
    const shardsOfRuns = await query<{ shard_index: number; n: bigint }>(
      target,
      'SELECT shard_index, count(*) AS n FROM runs GROUP BY 1 ORDER BY 1',
    )
    expect(shardsOfRuns.reduce((sum, row) => sum + Number(row.n), 0)).toBe(4)
    expect(shardsOfRuns.map((row) => row.shard_index).every((index) => index >= 1 && index <= 3)).toBe(true)

    // Merging the same files again adds nothing.
    const before = await counts(target)
    const again = await strikes(['merge', '--db', target, ...shards.map((shard) => shard.db)], dir)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('skipped session')
    expect(await counts(target)).toEqual(before)
    expect(await query(target, 'SELECT count(*)::INTEGER AS n FROM sessions')).toEqual([{ n: 1 }])

    // The thresholds are stored with the session: gate, report, runs and compare need no vitest config.
    const gate = await strikes(['gate', '--db', target], dir)
    expect(gate.code, gate.stdout + gate.stderr).toBe(0)
    expect(gate.stdout).toMatch(/gates {2}5 passed · 0 failed/)
    const report = await strikes(['report', '--db', target, '--out', join(dir, 'merged.html')], dir)
    expect(report.code, report.stderr).toBe(0)
    expect(readFileSync(join(dir, 'merged.html'), 'utf8')).toContain('evals/tag.eval.ts')
    const runs = await strikes(['runs', '--db', target], dir)
    expect(runs.code, runs.stderr).toBe(0)
    expect(runs.stdout.match(/evals\/\w+\.eval\.ts/g)?.sort()).toEqual([
      'evals/grade.eval.ts',
      'evals/spell.eval.ts',
      'evals/sum.eval.ts',
      'evals/tag.eval.ts',
    ])
  })

  test('a missing shard is named, exit 2, and the target is unchanged; --allow-partial merges it as partial', async ({
    task,
  }) => {
    const dir = fixtureProject(undefined).dir
    const target = join(dir, `partial-${task.id}.duckdb`)
    const [first, , third] = shards as [FixtureProject, FixtureProject, FixtureProject]
    const missing = await strikes(['merge', '--db', target, first.db, third.db], dir)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/has 3 shards; shard 2\/3 is missing \(given: 1\/3, 3\/3\)/)
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(existsSync(target)).toBe(false)

    // An existing target is left byte for byte as it was.
    const seeded = await strikes(['merge', '--db', target, whole.db], dir)
    expect(seeded.code, seeded.stderr).toBe(0)
    const hash = fileHash(target)
    const refused = await strikes(['merge', '--db', target, first.db, third.db], dir)
    expect(refused.code).toBe(2)
    expect(fileHash(target)).toBe(hash)

    const partial = await strikes(['merge', '--db', target, first.db, third.db, '--allow-partial'], dir)
    expect(partial.code, partial.stderr).toBe(0)
    expect(partial.stdout).toContain('partial: shard 2/3 missing')
    const [session] = await query<{ session_id: string; partial: boolean; selection: string }>(
      target,
      'SELECT session_id, partial, selection::VARCHAR AS selection FROM sessions WHERE shard_count = 3',
    )
    expect(session?.partial).toBe(true)
    expect(JSON.parse(session?.selection ?? '{}')).toMatchObject({ merged: { shards: [1, 3], missing: [2] } })
    const notRun = ((await verdicts(target, session?.session_id)) as { verdict: string }[]).filter(
      (gate) => gate.verdict === 'not run',
    )
    expect(notRun.length).toBeGreaterThan(0)

    // The missing shard merged later completes the session: no shard is missing any more.
    const completed = await strikes(['merge', '--db', target, shards[1]?.db ?? ''], dir)
    expect(completed.code, completed.stderr).toBe(0)
    expect(completed.stdout).toContain('added to the shards 1/3 and 3/3 merged before')
    const [after] = await query<{ partial: boolean }>(
      target,
      `SELECT partial FROM sessions WHERE session_id = '${session?.session_id}'`,
    )
    expect(after?.partial).toBe(false)
    expect(await counts(target, session?.session_id)).toEqual(await counts(whole.db))
    expect(await verdicts(target, session?.session_id)).toEqual(await verdicts(whole.db))
  })
})
