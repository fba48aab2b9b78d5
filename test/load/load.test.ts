/**
 * Load (`npm run test:load`): real `vitest run --reporter=strikes` sessions far larger than any other
 * test's — 50 eval files × 2,000 tasks on 4 workers, two `vitest` processes on one database at once, and
 * one task logging 100,000 metrics. Every count in DuckDB must equal the count produced. The figures
 * measured (wall time, rows) are printed for the README's reliability section.
 */
import { appendFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query, REPO_ROOT } from '../helpers/fixture-project.js'

const FIGURES = join(REPO_ROOT, 'test/.tmp/load-figures.ndjson')

/** Keeps a measured figure (printed, and appended to test/.tmp/load-figures.ndjson). */
function record(figure: Record<string, unknown>): void {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  appendFileSync(FIGURES, `${JSON.stringify({ at: new Date().toISOString(), ...figure })}\n`)
  console.info(`load figure: ${JSON.stringify(figure)}`)
}

/** An eval file whose one test maps `tasks` calls; each call logs one metric and is scored by one scorer. */
function evalFile(tasks: number): string {
  return `import { evalTask, logMetric, scorer } from 'strikes'
import { expect, test } from 'vitest'

const correct = scorer('correct', (output: string) => (output.endsWith('0') ? 0 : 1))

const answer = evalTask({ scorers: [correct] }, async function answer(n: number) {
  logMetric('tokens', n % 50)
  return \`answer \${n}\`
})

test('answers ${tasks} questions', async () => {
  expect(await answer.map(Array.from({ length: ${tasks} }, (_, n) => n))).toHaveLength(${tasks})
})
`
}

/** A project of `files` eval files of `tasks` calls each, recording into `db` (default: its own). */
function loadProject(files: number, tasks: number, db?: string): FixtureProject {
  const sources: Record<string, string> = {
    'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ project: 'load'${db === undefined ? '' : `, db: ${JSON.stringify(db)}`} })] })
`,
  }
  for (let file = 0; file < files; file++)
    sources[`file-${String(file).padStart(2, '0')}.eval.ts`] = evalFile(tasks)
  return fixtureProject(undefined, sources)
}

interface TableCounts {
  sessions: bigint
  runs: bigint
  task_spans: bigint
  test_spans: bigint
  metrics: bigint
  run_metrics: bigint
  task_io: bigint
  objects: bigint
}

async function tableCounts(db: string): Promise<TableCounts> {
  const [row] = await query<TableCounts>(
    db,
    `SELECT (SELECT count(*) FROM sessions) AS sessions, (SELECT count(*) FROM runs) AS runs,
       (SELECT count(*) FROM spans WHERE kind = 'task') AS task_spans,
       (SELECT count(*) FROM spans WHERE kind = 'test') AS test_spans,
       (SELECT count(*) FROM metrics) AS metrics, (SELECT count(*) FROM run_metrics) AS run_metrics,
       (SELECT count(*) FROM task_io) AS task_io, (SELECT count(*) FROM objects) AS objects`,
  )
  if (row === undefined) throw new Error('no counts')
  return row
}

/** What `files` files of `tasks` calls produce: per call a span, 2 metric points (+2 mirrored), an input and an output. */
function produced(sessions: number, files: number, tasks: number): TableCounts {
  const calls = BigInt(files * tasks)
  return {
    sessions: BigInt(sessions),
    runs: BigInt(files),
    task_spans: calls,
    test_spans: BigInt(files),
    metrics: 2n * calls,
    run_metrics: 2n * calls,
    task_io: 2n * calls,
    // Inputs 0…tasks-1 and outputs "answer n" are all distinct within a run.
    objects: 2n * calls,
  }
}

function rows(counts: TableCounts): number {
  return Object.entries(counts)
    .filter(([name]) => name !== 'sessions')
    .reduce((sum, [, value]) => sum + Number(value), 0)
}

describe('load', () => {
  test('50 eval files × 2,000 tasks on 4 workers: every span, metric, value and object produced is in DuckDB', async () => {
    const project = loadProject(50, 2000)
    const started = performance.now()
    const result = await project.vitest(['--reporter=strikes', '--maxWorkers=4'], { timeoutMs: 900_000 })
    const wallMs = performance.now() - started
    expect(result.code, result.stdout.slice(-3000) + result.stderr.slice(-3000)).toBe(0)
    const counts = await tableCounts(project.db)
    expect(counts).toEqual(produced(1, 50, 2000))
    record({
      case: '50 files x 2000 tasks, 4 workers',
      wallMs: Math.round(wallMs),
      rows: rows(counts),
      ...numbers(counts),
    })
  })

  test('two vitest processes on one database at once: both sessions land whole', async () => {
    const db = join(fixtureProject(undefined).dir, 'shared.duckdb')
    const first = loadProject(10, 2000, db)
    const second = loadProject(10, 2000, db)
    const started = performance.now()
    const results = await Promise.all([
      first.vitest(['--reporter=strikes', '--maxWorkers=2'], { timeoutMs: 900_000 }),
      second.vitest(['--reporter=strikes', '--maxWorkers=2'], { timeoutMs: 900_000 }),
    ])
    const wallMs = performance.now() - started
    for (const result of results)
      expect(result.code, result.stdout.slice(-2000) + result.stderr.slice(-2000)).toBe(0)
    const counts = await tableCounts(db)
    expect(counts).toEqual(produced(2, 20, 2000))
    const perSession = await query<{ runs: bigint; tasks: bigint }>(
      db,
      `SELECT count(DISTINCT r.run_id) AS runs, count(s.span_id) FILTER (WHERE s.kind = 'task') AS tasks
       FROM runs r JOIN spans s USING (run_id) GROUP BY r.session_id`,
    )
    expect(perSession).toEqual([
      { runs: 10n, tasks: 20_000n },
      { runs: 10n, tasks: 20_000n },
    ])
    record({
      case: '2 processes x 10 files x 2000 tasks, one db',
      wallMs: Math.round(wallMs),
      rows: rows(counts),
      ...numbers(counts),
    })
  })

  test('one task logging 100,000 metrics: 100,000 task-level and 100,000 run-level points, in order', async () => {
    const project = fixtureProject(undefined, {
      'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ project: 'load' })] })
`,
      'metrics.eval.ts': `import { evalTask, logMetric } from 'strikes'
import { expect, test } from 'vitest'

const train = evalTask(async function train(steps: number) {
  for (let step = 0; step < steps; step++) logMetric('loss', 1 / (step + 1), { step, mode: 'min' })
  return steps
})

test('logs 100,000 points', async () => {
  expect(await train(100_000)).toBe(100_000)
})
`,
    })
    const started = performance.now()
    const result = await project.vitest(['--reporter=strikes'], { timeoutMs: 900_000 })
    const wallMs = performance.now() - started
    expect(result.code, result.stdout.slice(-2000) + result.stderr.slice(-2000)).toBe(0)
    const [row] = await query<{ points: bigint; run_points: bigint; last_min: number; ordered: boolean }>(
      project.db,
      `SELECT (SELECT count(*) FROM metrics WHERE name = 'loss') AS points,
         (SELECT count(*) FROM run_metrics WHERE name = 'train.loss') AS run_points,
         (SELECT value FROM run_metrics WHERE name = 'train.loss' ORDER BY seq DESC LIMIT 1) AS last_min,
         (SELECT bool_and(step = rank - 1) FROM (SELECT step, row_number() OVER (ORDER BY seq) AS rank FROM metrics)) AS ordered`,
    )
    expect(row).toEqual({ points: 100_000n, run_points: 100_000n, last_min: 1 / 100_000, ordered: true })
    record({ case: '1 task x 100000 metrics', wallMs: Math.round(wallMs), rows: 200_000 })
  })
})

function numbers(counts: TableCounts): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).map(([name, value]) => [name, Number(value)]))
}
