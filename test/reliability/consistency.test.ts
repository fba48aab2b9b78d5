/**
 * What the database holds stays consistent whatever happened to the processes that wrote it: values and
 * metric points of a task whose worker died before the task ended are left out (no `task_io`, `metrics`
 * or `run_metrics` row points at a span that does not exist), and sessions are ordered by when they were
 * recorded (`sessions.seq`), never by a clock that may be wrong.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { IngestQueue } from '../../reporter/store/ingest-queue.js'
import { readSpoolRun } from '../../src/shared/spool/reader.js'
import { fixtureProject, query, REPO_ROOT, runNode } from '../helpers/fixture-project.js'
import { runStartEvent, spanLine } from '../helpers/spool-lines.js'

const CLI = join(REPO_ROOT, 'dist/reporter/cli/main.js')
const MICROS = 1_700_000_000_000_000

/** A logged input of span `span` (with its value, as the worker writes the first one). */
function inputLine(span: string, n: number): string {
  return JSON.stringify({
    t: 'i',
    span_id: span,
    direction: 'input',
    name: 'question',
    hash: `h${n}`,
    size_bytes: 1,
    truncated: false,
    object: n,
  })
}

/** A task-level metric point of span `span`, mirrored on the run. */
function metricLine(span: string, seq: number): string {
  return JSON.stringify({
    t: 'm',
    span_id: span,
    name: 'quality',
    value: 0.5,
    step: 0,
    ts: MICROS,
    source: 'log',
    seq,
    attributes: null,
    run_name: 'answer.quality',
    run_value: 0.5,
    mode: null,
    run_seq: seq,
  })
}

describe('a worker that died while tasks ran', () => {
  test('the values and points of tasks that never ended are left out, counted in one warning; every stored row has its span', async () => {
    const project = fixtureProject(undefined)
    const db = join(project.dir, 'strikes.duckdb')
    const dir = join(`${db}.spool`, 'session', 'run')
    mkdirSync(dir, { recursive: true })
    const start = runStartEvent('consistency', 'killed.eval.ts')
    // No end event: the worker was killed. Task `ended` finished; `running-1` and `running-2` had logged
    // their inputs and a metric point when the worker died, and their spans were never written.
    writeFileSync(join(dir, 'run.ndjson'), `${JSON.stringify(start)}\n`)
    const lines = [
      inputLine('ended', 0),
      metricLine('ended', 0),
      spanLine('ended', 'answer', 'answer'),
      inputLine('running-1', 1),
      metricLine('running-1', 1),
      inputLine('running-2', 2),
    ]
    writeFileSync(join(dir, 'records.ndjson'), `${lines.join('\n')}\n`)
    const run = readSpoolRun(dir)
    if (run === undefined) throw new Error('no run')
    const queue = new IngestQueue(db, 10_000)
    queue.enqueue({ run, outcome: { status: 'crashed' } })
    await queue.drain()
    queue.release()
    expect(queue.errors).toEqual([])
    expect(queue.warnings).toEqual([
      'strikes: run "killed.eval.ts": 2 logged values and 1 metric points of tasks that never ended (the worker stopped while they ran) were left out; every stored row has its span',
    ])
    const [row] = await query<Record<string, number>>(
      db,
      `SELECT (SELECT count(*)::INTEGER FROM spans) AS spans,
         (SELECT count(*)::INTEGER FROM task_io) AS task_io,
         (SELECT count(*)::INTEGER FROM metrics) AS metrics,
         (SELECT count(*)::INTEGER FROM run_metrics) AS run_metrics,
         (SELECT count(*)::INTEGER FROM task_io WHERE span_id NOT IN (SELECT span_id FROM spans)) +
         (SELECT count(*)::INTEGER FROM metrics WHERE span_id NOT IN (SELECT span_id FROM spans)) +
         (SELECT count(*)::INTEGER FROM run_metrics WHERE span_id IS NOT NULL AND span_id NOT IN (SELECT span_id FROM spans)) AS orphans`,
    )
    expect(row).toEqual({ spans: 1, task_io: 1, metrics: 1, run_metrics: 1, orphans: 0 })
    expect(await query(db, 'SELECT status FROM runs')).toEqual([{ status: 'crashed' }])
  })
})

describe('a session recorded with a clock ten years fast', () => {
  test('later sessions are still "latest" and "previous" follows the order of recording: the reporter, runs, report and latest_runs', async () => {
    const project = fixtureProject('reliability-store')
    const env = { STORE_REPORT: 'false' }
    const first = await project.vitest(['--reporter=strikes'], { env })
    expect(first.code, first.stdout + first.stderr).toBe(0)
    // As if the machine that recorded it had a clock ten years fast.
    const database = await openDatabase(project.db)
    try {
      await database.run(
        `UPDATE sessions SET started_at = started_at + INTERVAL 10 YEAR, ended_at = ended_at + INTERVAL 10 YEAR`,
      )
      await database.run(
        `UPDATE runs SET started_at = started_at + INTERVAL 10 YEAR, ended_at = ended_at + INTERVAL 10 YEAR`,
      )
    } finally {
      database.close()
    }
    const second = await project.vitest(['--reporter=strikes'], {
      env: { STORE_REPORT: 'report.html' },
    })
    expect(second.code, second.stdout + second.stderr).toBe(0)

    const sessions = await query<{ session_id: string; seq: number }>(
      project.db,
      'SELECT session_id, seq::INTEGER AS seq FROM sessions ORDER BY started_at',
    )
    // By their clocks the second session came first; by the order of recording it is the latest.
    expect(sessions.map((session) => session.seq)).toEqual([2, 1])
    const fast = sessions[1]?.session_id ?? ''
    const latest = sessions[0]?.session_id ?? ''

    const runs = await runNode([CLI, 'runs', '--json', '--db', project.db], project.dir)
    expect(runs.code, runs.stderr).toBe(0)
    const listed = JSON.parse(runs.stdout) as { session_id: string }[]
    expect(listed.map((session) => session.session_id)).toEqual([latest, fast])

    const report = await runNode([CLI, 'report', '--out', 'latest.html', '--db', project.db], project.dir)
    expect(report.code, report.stderr).toBe(0)
    expect(report.stdout).toContain(`report of session ${latest} written to`)

    // The report the second session wrote is of itself, compared with the first (its previous session).
    const html = readFileSync(join(project.dir, 'report.html'), 'utf8')
    expect(html).toContain(latest)
    expect(html).toContain(`compared with session ${fast.slice(0, 8)}`)
    expect(html).toContain('<div class="note">was ')

    const latestRuns = await query<{ session_id: string }>(project.db, 'SELECT session_id FROM latest_runs')
    expect(latestRuns).toEqual([{ session_id: latest }])
  })
})
