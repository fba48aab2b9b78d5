/**
 * A spool folder deleted (or a records file replaced) while its run is recorded: the worker checks at the
 * file's end that its spool is still where it wrote it, and the reporter checks each records file against
 * the count of records the worker wrote (carried in the run's end event). Either way the run is named in
 * an error and the session fails — never a run silently missing or short.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { IngestQueue } from '../../reporter/store/ingest-queue.js'
import { readSpoolRun } from '../../src/shared/spool/reader.js'
import { fixtureProject, query } from '../helpers/fixture-project.js'
import { runStartEvent } from '../helpers/spool-lines.js'

describe('the spool folder of a run is deleted while its file runs', () => {
  test('the file fails with an error naming the run and how many records were lost; the other runs are recorded; exit 1', async () => {
    const project = fixtureProject('reliability-vanish')
    const result = await project.vitest(['--reporter=strikes'])
    const output = result.stdout + result.stderr
    expect(result.code).toBe(1)
    expect(output).toMatch(
      /strikes: the spool of run "vanish\.eval\.ts" vanished while it was recorded \(\S+ was deleted\): \d+ records written to \S+ are lost/,
    )
    const runs = await query<{ name: string; status: string; tasks: bigint }>(
      project.db,
      `SELECT r.name, r.status, count(s.span_id) FILTER (WHERE s.kind = 'task') AS tasks
       FROM runs r LEFT JOIN spans s USING (run_id) GROUP BY ALL ORDER BY r.name`,
    )
    expect(runs).toEqual([
      { name: 'first.eval.ts', status: 'passed', tasks: 600n },
      { name: 'second.eval.ts', status: 'passed', tasks: 600n },
    ])
  })
})

describe('a records file shorter than what its worker wrote', () => {
  test('is ingested as far as it goes, and an error names the run and both counts', async () => {
    const project = fixtureProject(undefined)
    const db = join(project.dir, 'strikes.duckdb')
    const dir = join(`${db}.spool`, 'session', 'run')
    mkdirSync(dir, { recursive: true })
    const start = runStartEvent('vanish', 'short.eval.ts')
    const end = { type: 'end', ended_at: 1_700_000_001_000_000, status: 'passed', records: 5 }
    writeFileSync(join(dir, 'run.ndjson'), `${JSON.stringify(start)}\n${JSON.stringify(end)}\n`)
    const line = (n: number) =>
      JSON.stringify({
        t: 'r',
        span_id: null,
        name: 'points',
        value: n,
        raw_value: n,
        mode: null,
        step: n,
        ts: 1,
        seq: n,
      })
    writeFileSync(join(dir, 'records.ndjson'), `${[1, 2, 3].map(line).join('\n')}\n`)
    const run = readSpoolRun(dir)
    if (run === undefined) throw new Error('no run')
    const queue = new IngestQueue(db, 10_000)
    queue.enqueue({ run, outcome: { status: 'passed' } })
    await queue.drain()
    queue.release()
    expect(queue.errors.map((error) => error.message)).toEqual([
      `strikes: run "short.eval.ts" lost records: its worker wrote 5 but ${dir} held 3 when it was ingested (the spool folder was changed or deleted while the run was recorded); the 3 were stored`,
    ])
    expect(await query(db, 'SELECT count(*)::INTEGER AS n FROM run_metrics')).toEqual([{ n: 3 }])
  })
})
