/**
 * The Parquet lake: `strikes export --parquet <dir>` from two databases (two machines) into one folder,
 * hive-partitioned by table and session; exporting again rewrites nothing; `strikes query --lake` runs
 * strikes' views (`latest_runs`, `metric_summary`) over both sessions; DuckDB reads the same folder with
 * `read_parquet(…, hive_partitioning = true)`; a lake query reads nothing outside the lake.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, test } from 'vitest'
import { strikes } from '../cli/strikes-cli.js'
import { fixtureProject } from '../helpers/fixture-project.js'
import { writeSyntheticShard } from './synthetic-shard.js'

let dir: string
let lake: string

/** Every file of the lake with its modification time. */
function files(root: string): Map<string, number> {
  const found = new Map<string, number>()
  for (const name of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const path = join(root, name)
    if (statSync(path).isFile()) found.set(name, statSync(path).mtimeMs)
  }
  return found
}

beforeAll(async () => {
  dir = fixtureProject(undefined).dir
  lake = join(dir, 'lake')
  await writeSyntheticShard({
    path: join(dir, 'a.duckdb'),
    index: 1,
    count: 1,
    group: 'a',
    tasks: 300,
    runs: 3,
    score: 0.25,
    sessionId: 'session-a',
  })
  await writeSyntheticShard({
    path: join(dir, 'b.duckdb'),
    index: 1,
    count: 1,
    group: 'b',
    tasks: 200,
    runs: 2,
    score: 0.75,
    sessionId: 'session-b',
  })
}, 120_000)

describe('the Parquet lake', { timeout: 120_000 }, () => {
  test('two databases exported into one folder: the lake query returns both sessions', async () => {
    for (const db of ['a.duckdb', 'b.duckdb']) {
      const exported = await strikes(['export', '--parquet', 'lake', '--db', db], dir)
      expect(exported.code, exported.stderr).toBe(0)
      expect(exported.stdout).toContain('exported 1 session to the lake')
    }
    expect(readdirSync(join(lake, 'runs')).sort()).toEqual(['session=session-a', 'session=session-b'])
    const sessions = await strikes(
      ['query', '--lake', 'lake', '--json', 'SELECT session_id, session_group FROM sessions ORDER BY 1'],
      dir,
    )
    expect(sessions.code, sessions.stderr).toBe(0)
    expect(JSON.parse(sessions.stdout)).toEqual([
      { session_id: 'session-a', session_group: 'a' },
      { session_id: 'session-b', session_group: 'b' },
    ])
    const summary = await strikes(
      [
        'query',
        '--lake',
        'lake',
        '--json',
        `SELECT r.session_id, count(DISTINCT r.run_id) AS runs, sum(m.count) AS points, round(avg(m.avg), 6) AS avg
         FROM runs r JOIN metric_summary m USING (run_id) GROUP BY 1 ORDER BY 1`,
      ],
      dir,
    )
    expect(summary.code, summary.stderr).toBe(0)
    expect(JSON.parse(summary.stdout)).toEqual([
      { session_id: 'session-a', runs: 3, points: 300, avg: 0.25 },
      { session_id: 'session-b', runs: 2, points: 200, avg: 0.75 },
    ])
    // Both sessions ran files of the same names (evals/shard-1-0 and -1): the latest run of each name.
    const latest = await strikes(
      ['query', '--lake', 'lake', '--json', 'SELECT count(*) AS n FROM latest_runs'],
      dir,
    )
    expect(JSON.parse(latest.stdout)).toEqual([{ n: 3 }])
  })

  test('exporting again writes nothing; the files already there are never rewritten', async () => {
    const before = files(lake)
    const again = await strikes(['export', '--parquet', 'lake', '--db', 'a.duckdb'], dir)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toContain('exported 0 sessions to the lake')
    expect(again.stdout).toContain('(1 session already there)')
    expect(files(lake)).toEqual(before)
  })

  test('DuckDB reads the lake with read_parquet and hive partitioning', async () => {
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      const reader = await connection.runAndReadAll(
        `SELECT session, count(*) AS spans FROM read_parquet('${lake}/spans/*/*.parquet', hive_partitioning = true)
         GROUP BY session ORDER BY session`,
      )
      expect(reader.getRowObjectsJS()).toEqual([
        { session: 'session-a', spans: 300n },
        { session: 'session-b', spans: 200n },
      ])
    } finally {
      connection.closeSync()
      instance.closeSync()
    }
  })

  test('a lake query reads nothing outside the lake', async () => {
    const outside = await strikes(
      ['query', '--lake', 'lake', "SELECT * FROM read_text('/etc/hostname')"],
      dir,
    )
    expect(outside.code).toBe(2)
    expect(outside.stderr).toMatch(/Permission Error|disabled/)
    const missing = await strikes(['query', '--lake', 'nowhere', 'SELECT 1'], dir)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('no lake at')
  })
})
