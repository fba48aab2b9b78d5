/**
 * Benchmark 5: `metric_summary` over P run-level points (100 runs × 10 keys × P/1,000 points each),
 * generated with SQL in a fresh database; the whole view materialised, median of the repetitions.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { openDatabase } from '../reporter/store/database.js'
import { type Spread, spread } from './stats.js'
import { REPO } from './workspace.js'

/** Time to read the whole view. */
export interface QueryResult {
  readonly points: number
  readonly rows: number
  readonly ms: Spread
}

/** Builds a database with `points` run-level points and times `SELECT * FROM metric_summary`, `runs` times. */
export async function metricSummaryQuery(points: number, runs: number): Promise<QueryResult> {
  const path = join(REPO, 'bench/.tmp/query.duckdb')
  rmSync(path, { force: true })
  rmSync(`${path}.wal`, { force: true })
  const database = await openDatabase(path)
  try {
    const perSeries = Math.max(1, Math.floor(points / 1000))
    await database.run(`INSERT INTO runs (run_id, session_id, project, name, status)
      SELECT 'run-' || r, 'session', 'bench', 'file-' || r || '.eval.ts', 'passed' FROM range(100) t(r)`)
    await database.run(`INSERT INTO run_metrics
      SELECT 'run-' || (i // (10 * ${perSeries})), NULL, 'label.metric_' || ((i // ${perSeries}) % 10),
        random(), random(), NULL, 0, TIMESTAMP '2026-01-01' + to_microseconds(i), i
      FROM range(${points}) t(i)`)
    await database.run('CHECKPOINT')
    const times: number[] = []
    let rows = 0
    for (let run = 0; run < runs; run++) {
      const started = performance.now()
      const result = await database.query('SELECT * FROM metric_summary')
      times.push(performance.now() - started)
      rows = result.length
    }
    return { points, rows, ms: spread(times) }
  } finally {
    database.close()
  }
}
