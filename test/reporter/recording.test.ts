import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

interface SpanRow {
  span_id: string
  parent_id: string | null
  kind: string
  name: string
  label: string
  status: string
  error: string | null
}

describe('an eval file run with --reporter=strikes', () => {
  let project: FixtureProject
  let code: number | null

  beforeAll(async () => {
    project = fixtureProject('basic')
    const result = await project.vitest(['--reporter=strikes'])
    code = result.code
    if (code !== 0) console.error(result.stdout, result.stderr)
  })

  test('the run passes and exits 0', () => {
    expect(code).toBe(0)
  })

  test('each eval file is one run with its project, params and tags; plain test files are not runs', async () => {
    const runs = await query<{
      name: string
      project: string
      status: string
      params: string
      tags: string[]
    }>(project.db, 'SELECT name, project, status, params::VARCHAR AS params, tags FROM runs')
    expect(runs).toEqual([
      {
        name: 'basic.eval.ts',
        project: 'basic',
        status: 'passed',
        params: '{"model":"mock-1"}',
        tags: ['nightly'],
      },
    ])
  })

  test('one session row records the versions and the status', async () => {
    const sessions = await query<{
      status: string
      vitest_version: string
      strikes_version: string
      n: bigint
    }>(
      project.db,
      'SELECT status, vitest_version, strikes_version, (SELECT count(*) FROM runs r WHERE r.session_id = s.session_id) AS n FROM sessions s',
    )
    expect(sessions).toHaveLength(1)
    expect(sessions[0]).toMatchObject({ status: 'passed', n: 1n })
    expect(sessions[0]?.vitest_version).toMatch(/^4\./)
  })

  test('test cases are spans of kind test that parent the tasks called in them', async () => {
    const spans = await query<SpanRow>(
      project.db,
      'SELECT span_id, parent_id, kind, name, label, status, error FROM spans',
    )
    const byId = new Map(spans.map((span) => [span.span_id, span]))
    const tests = spans.filter((span) => span.kind === 'test')
    expect(tests.map((span) => span.name).sort()).toEqual([
      'basic.eval.ts > failing task',
      'basic.eval.ts > modes',
      'basic.eval.ts > pipeline',
      'basic.eval.ts > tokenizes',
    ])
    const pipelines = spans.filter((span) => span.name === 'pipeline')
    expect(pipelines).toHaveLength(3)
    for (const pipeline of pipelines) {
      expect(byId.get(pipeline.parent_id ?? '')?.name).toBe('basic.eval.ts > pipeline')
      const children = spans.filter((span) => span.parent_id === pipeline.span_id).map((span) => span.name)
      expect(children.sort()).toEqual(['finish', 'tokenize'])
    }
    const lone = spans.filter(
      (span) => span.name === 'tokenize' && byId.get(span.parent_id ?? '')?.kind === 'test',
    )
    expect(lone.map((span) => byId.get(span.parent_id ?? '')?.name)).toEqual(['basic.eval.ts > tokenizes'])
    const bad = spans.find((span) => span.name === 'bad')
    expect(bad).toMatchObject({ status: 'error', error: 'Error: boom', kind: 'task' })
    expect(spans.find((span) => span.name === 'Mode Check')?.label).toBe('mode_check')
  })

  test('task metrics keep raw values and scorer metrics are linked to the output they scored', async () => {
    const metrics = await query<{
      name: string
      value: number
      source: string
      origin: string | null
      output: string
    }>(
      project.db,
      `SELECT m.name, m.value, m.source, m.attributes->>'origin_hash' AS origin, o.hash AS output
       FROM metrics m JOIN spans s USING (span_id)
       LEFT JOIN task_io o ON o.span_id = m.span_id AND o.direction = 'output' AND o.name = 'output'
       WHERE s.name = 'tokenize' ORDER BY m.seq`,
    )
    const scores = metrics.filter((metric) => metric.source === 'scorer')
    expect(scores.map((metric) => metric.value)).toEqual([1, 0, 1, 0])
    for (const score of scores) expect(score.origin).toBe(score.output)
    expect(
      metrics
        .filter((metric) => metric.name === 'token_count')
        .map((metric) => metric.value)
        .sort(),
    ).toEqual([1, 2, 3, 3])
  })

  test('run-level series store the aggregate after each point beside the raw value, for every mode', async () => {
    const rows = await query<{ name: string; value: number; raw_value: number; mode: string | null }>(
      project.db,
      `SELECT name, value, raw_value, mode FROM run_metrics WHERE name LIKE 'mode_check.%' OR name = 'loose' ORDER BY seq`,
    )
    const series = (name: string) => rows.filter((row) => row.name === name)
    expect(series('mode_check.sum').map((row) => row.value)).toEqual([5, -2, 0])
    expect(series('mode_check.avg').map((row) => row.value)).toEqual([5, -1, 0])
    expect(series('mode_check.min').map((row) => row.value)).toEqual([5, -7, -7])
    expect(series('mode_check.max').map((row) => row.value)).toEqual([5, 5, 5])
    expect(series('mode_check.count').map((row) => row.value)).toEqual([1, 2, 3])
    expect(series('mode_check.sum').map((row) => row.raw_value)).toEqual([5, -7, 2])
    expect(series('mode_check.sum').every((row) => row.mode === 'sum')).toBe(true)
    expect(series('loose').map((row) => row.raw_value)).toEqual([5, -7, 2])
  })

  test('logged values are stored once per run as objects referenced from task_io', async () => {
    const io = await query<{ direction: string; name: string; value: string | null }>(
      project.db,
      `SELECT io.direction, io.name, o.value::VARCHAR AS value
       FROM task_io io JOIN spans s USING (span_id) LEFT JOIN objects o ON o.run_id = io.run_id AND o.hash = io.hash
       WHERE s.name = 'pipeline' ORDER BY io.direction, value`,
    )
    expect(io).toEqual([
      { direction: 'input', name: 'doc', value: '"a b"' },
      { direction: 'input', name: 'doc', value: '"c d e"' },
      { direction: 'input', name: 'doc', value: '"f"' },
      { direction: 'output', name: 'output', value: '"A B!"' },
      { direction: 'output', name: 'output', value: '"C D E!"' },
      { direction: 'output', name: 'output', value: '"F!"' },
    ])
    const duplicates = await query<{ n: bigint }>(
      project.db,
      'SELECT count(*) AS n FROM (SELECT run_id, hash FROM objects GROUP BY ALL HAVING count(*) > 1)',
    )
    expect(duplicates[0]?.n).toBe(0n)
  })

  test('views latest_runs and metric_summary answer per run and key', async () => {
    const latest = await query<{ name: string }>(project.db, 'SELECT name FROM latest_runs')
    expect(latest).toEqual([{ name: 'basic.eval.ts' }])
    const summary = await query<{
      count: bigint
      avg: number
      min: number
      max: number
      p50: number
      p95: number
    }>(
      project.db,
      `SELECT count, avg, min, max, p50, p95 FROM metric_summary WHERE name = 'tokenize.token_count'`,
    )
    expect(summary).toEqual([{ count: 4n, avg: 2.25, min: 1, max: 3, p50: 2.5, p95: 3 }])
  })

  test('the spool is removed once ingested', () => {
    const spool = `${project.db}.spool`
    expect(existsSync(spool) ? readdirSync(spool) : []).toEqual([])
  })
})

describe('a second session of the same project', () => {
  test('adds a new session (recorded after the first) and latest_runs points at its run', async () => {
    // Its own project: the tests above see exactly one session whatever order tests run in.
    const project = fixtureProject('basic')
    expect((await project.vitest(['--reporter=strikes'])).code).toBe(0)
    const again = await project.vitest(['--reporter=strikes'])
    expect(again.code).toBe(0)
    const counts = await query<{ sessions: bigint; runs: bigint; latest: string }>(
      project.db,
      `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM runs) AS runs,
        (SELECT session_id FROM latest_runs) = (SELECT session_id FROM sessions ORDER BY seq DESC LIMIT 1) AS latest`,
    )
    expect(counts[0]).toEqual({ sessions: 2n, runs: 2n, latest: true })
  })
})

describe('--reporter=strikes without the plugin', () => {
  test('records eval files with defaults and stacks with the json reporter', async () => {
    const project = fixtureProject('no-plugin')
    const result = await project.vitest([
      '--reporter=strikes',
      '--reporter=json',
      '--outputFile.json=results.json',
    ])
    expect(result.code).toBe(0)
    const runs = await query<{ name: string; tasks: bigint }>(
      project.db,
      `SELECT r.name, (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'task') AS tasks FROM runs r`,
    )
    expect(runs).toEqual([{ name: 'plain.eval.ts', tasks: 2n }])
    const json = JSON.parse(readFileSync(join(project.dir, 'results.json'), 'utf8')) as {
      numPassedTests: number
    }
    expect(json.numPassedTests).toBe(1)
  })
})

describe('faults', () => {
  test('a worker killed mid-file leaves a crashed run holding every batch it flushed', async () => {
    const project = fixtureProject('crash')
    const result = await project.vitest(['--reporter=strikes', '--pool=forks'])
    expect(result.code).not.toBe(0)
    const runs = await query<{ name: string; status: string; tasks: bigint; tests: bigint }>(
      project.db,
      `SELECT r.name, r.status,
        (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'task') AS tasks,
        (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'test') AS tests
       FROM runs r ORDER BY r.name`,
    )
    expect(runs).toEqual([
      { name: 'crash.eval.ts', status: 'crashed', tasks: 3n, tests: 1n },
      { name: 'fine.eval.ts', status: 'passed', tasks: 1n, tests: 1n },
    ])
  })

  test('two vitest processes writing one database at once both land', async () => {
    const shared = fixtureProject('no-plugin')
    const other = fixtureProject('no-plugin')
    const db = shared.db
    const config = `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ db: ${JSON.stringify(db)} })] })
`
    shared.write('vitest.config.ts', config)
    other.write('vitest.config.ts', config)
    const [first, second] = await Promise.all([
      shared.vitest(['--reporter=strikes']),
      other.vitest(['--reporter=strikes']),
    ])
    expect([first.code, second.code]).toEqual([0, 0])
    const rows = await query<{ sessions: bigint; runs: bigint; tasks: bigint }>(
      db,
      `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM runs) AS runs,
        (SELECT count(*) FROM spans WHERE kind = 'task') AS tasks`,
    )
    expect(rows[0]).toEqual({ sessions: 2n, runs: 2n, tasks: 4n })
  })

  test('a database file that is not DuckDB is left untouched and the error says where the data is', async () => {
    const project = fixtureProject('no-plugin')
    const garbage = Buffer.from('this is not a duckdb file, it is a note the user keeps here\n'.repeat(100))
    project.write('.strikes/strikes.duckdb', garbage.toString())
    const result = await project.vitest(['--reporter=strikes'])
    expect(result.code).not.toBe(0)
    expect(readFileSync(project.db).equals(garbage)).toBe(true)
    const output = result.stdout + result.stderr
    expect(output).toContain(`${project.db} is not a DuckDB database; it was left untouched`)
    const spool = `${project.db}.spool`
    expect(output).toContain(spool)
    const sessions = readdirSync(spool)
    expect(sessions).toHaveLength(1)
    expect(
      readdirSync(join(spool, sessions[0] as string)).filter((name) => name !== 'session.json'),
    ).toHaveLength(1)
  })

  test('the runs kept in the spool are ingested by the next session once the database is usable', async () => {
    const project = fixtureProject('no-plugin')
    project.write('.strikes/strikes.duckdb', 'not a database')
    expect((await project.vitest(['--reporter=strikes'])).code).not.toBe(0)
    rmSync(project.db)
    const result = await project.vitest(['--reporter=strikes'])
    expect(result.code).toBe(0)
    const rows = await query<{ status: string; n: bigint }>(
      project.db,
      'SELECT s.status, count(r.run_id) AS n FROM sessions s LEFT JOIN runs r USING (session_id) GROUP BY s.seq, s.status ORDER BY s.seq',
    )
    // The first session's runs were kept in the spool with how it ended (Vitest said passed; only its
    // ingest failed): the next session stores them under it.
    expect(rows).toEqual([
      { status: 'passed', n: 1n },
      { status: 'passed', n: 1n },
    ])
  })
})

describe('plugin options', () => {
  test('a wrong option fails with a message naming it', async () => {
    const project = fixtureProject('no-plugin', {
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ topN: 'five' as unknown as number, colour: true } as never)] })
`,
    })
    const result = await project.vitest(['--reporter=strikes'])
    expect(result.code).not.toBe(0)
    const output = result.stdout + result.stderr
    expect(output).toContain('strikes: invalid plugin options')
    expect(output).toContain('option "topN"')
    expect(output).toContain('unknown option "colour"')
  })
})
