/**
 * The task table's order and paging against DuckDB itself: walking every page of a sort with the page
 * markers yields exactly the rows of the reference query, in its order, none twice and none missed — for a
 * sort by a column (ties broken by row number), by a metric with one point per task (read from the metric's
 * own top points), by a metric with ties, and by a metric with several points per task (the general query).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { DatabaseLease } from '../../reporter/ui/data/database-lease.js'
import type { TaskCursor, TaskFilter, TaskSort } from '../../reporter/ui/data/task-filter.js'
import { loadTaskPage } from '../../reporter/ui/data/task-list.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { writeSyntheticUiSessions } from './synthetic-ui-session.js'

const SESSION = 'order-session'

describe('task table order and paging', () => {
  let dir: string
  let db: string
  let lease: DatabaseLease

  beforeAll(async () => {
    dir = mkdtempSync(join(REPO_ROOT, 'test/.tmp/ui-order-'))
    db = join(dir, 'strikes.duckdb')
    await writeSyntheticUiSessions(db, [
      { id: SESSION, tasks: 1_500, startedAt: new Date('2026-03-01T00:00:00Z') },
    ])
    // A metric logged twice by some tasks: their order is by the mean of their points.
    const writer = await openDatabase(db)
    try {
      await writer.run(`INSERT INTO metrics (run_id, span_id, name, value, step, ts, source, attributes, seq)
        SELECT run_id, span_id, 'twice', value, 0, ts, 'log', NULL, seq FROM metrics WHERE name = 'quality'
        UNION ALL
        SELECT run_id, span_id, 'twice', 1 - value, 1, ts, 'log', NULL, seq + 1 FROM metrics
        WHERE name = 'quality' AND hash(span_id) % 3 = 0`)
    } finally {
      writer.close()
    }
    lease = new DatabaseLease({ path: db })
  })

  afterAll(() => {
    lease?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function walk(filter: TaskFilter, sort: TaskSort, pageSize: number): Promise<string[]> {
    const seen: string[] = []
    let after: TaskCursor | undefined
    for (let page = 0; page < 1_000; page++) {
      const result = await lease.use((ui) => loadTaskPage(ui, filter, sort, after, pageSize, 0))
      seen.push(...result.rows.map((row) => row.spanId))
      if (result.next === undefined) return seen
      after = result.next
    }
    throw new Error('the pages never ended')
  }

  async function reference(sql: string): Promise<string[]> {
    const reader = await openDatabase(db, { readOnly: true })
    try {
      return (await reader.query<{ span_id: string }>(sql)).map((row) => row.span_id)
    } finally {
      reader.close()
    }
  }

  const filter: TaskFilter = { sessionId: SESSION, kind: 'task', label: 'classify' }
  const scope = `s.run_id IN (SELECT run_id FROM runs WHERE session_id = '${SESSION}') AND s.kind = 'task' AND s.label = 'classify'`
  /** The scoped tasks in the order of their mean of `metric` (tasks without it last), then run and span id. */
  const byMean = (metric: string, order: 'ASC' | 'DESC') =>
    reference(`SELECT s.span_id FROM spans s
      LEFT JOIN (SELECT run_id, span_id, avg(value) AS v FROM metrics WHERE name = '${metric}' GROUP BY ALL) m
        ON m.run_id = s.run_id AND m.span_id = s.span_id
      WHERE ${scope} ORDER BY m.v ${order} NULLS LAST, s.run_id, s.span_id`)

  test('sorted by duration, the pages hold every row once, ties in row order', async () => {
    const pages = await walk(filter, { key: 'duration', descending: true }, 37)
    const expected = await reference(
      `SELECT s.span_id FROM spans s WHERE ${scope} ORDER BY s.duration_ms DESC NULLS LAST, s.rowid`,
    )
    expect(pages).toEqual(expected)
  })

  test('sorted by a score of one point per task, the pages follow the mean, then run and span id', async () => {
    const pages = await walk(filter, { key: 'metric:quality', descending: true }, 23)
    const expected = await byMean('quality', 'DESC')
    expect(pages).toEqual(expected)
    // Failed tasks have no score: they come last, after every scored one.
    expect(pages.length).toBe(expected.length)
  })

  test('sorted ascending by a metric with many ties, no row is repeated or skipped across pages', async () => {
    const pages = await walk(filter, { key: 'metric:tokens', descending: false }, 50)
    const expected = await byMean('tokens', 'ASC')
    expect(new Set(pages).size).toBe(pages.length)
    expect(pages).toEqual(expected)
  })

  test('sorted by a metric some tasks logged twice, the order is by each task’s mean', async () => {
    const pages = await walk(filter, { key: 'metric:twice', descending: true }, 41)
    const expected = await byMean('twice', 'DESC')
    expect(pages).toEqual(expected)
  })

  test('a metric range with a sort by name keeps to the range and the order', async () => {
    const ranged: TaskFilter = { ...filter, metric: { name: 'quality', min: 0.25, max: 0.5 } }
    const pages = await walk(ranged, { key: 'name', descending: false }, 29)
    const expected = await reference(`SELECT s.span_id FROM spans s
      JOIN (SELECT run_id, span_id FROM metrics WHERE name = 'quality'
            GROUP BY ALL HAVING avg(value) BETWEEN 0.25 AND 0.5) m ON m.run_id = s.run_id AND m.span_id = s.span_id
      WHERE ${scope} ORDER BY s.name NULLS LAST, s.rowid`)
    expect(pages.length).toBeGreaterThan(0)
    expect(pages).toEqual(expected)
  })
})
