/**
 * Session-scale ingest: runs queued together are written in one transaction with the same rows as
 * ingesting them one by one, and a batch keeps the per-run guarantees (a bad run does not block the
 * others, a run already stored is not stored twice, text DuckDB refuses is repaired).
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { type Database, openDatabase } from '../../reporter/store/database.js'
import { ingestRun } from '../../reporter/store/ingest.js'
import { ingestBatch } from '../../reporter/store/ingest-batch.js'
import { IngestQueue } from '../../reporter/store/ingest-queue.js'
import { SPOOL_FORMAT_VERSION } from '../../src/shared/spool/format.js'
import { readSpoolRun, type SpoolRun } from '../../src/shared/spool/reader.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'

function scratch(prefix: string): string {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  return mkdtempSync(join(REPO_ROOT, `test/.tmp/${prefix}-`))
}

function spanLine(id: string, name: string): string {
  return JSON.stringify({
    t: 's',
    span_id: id,
    trace_id: 't'.repeat(32),
    parent_id: null,
    kind: 'task',
    name,
    label: 'task',
    tags: [],
    status: 'ok',
    error: null,
    started_at: 1_700_000_000_000_000,
    duration_ms: 1,
    attributes: {},
  })
}

/** The lines of a run with two tasks: spans, an input object shared by hash, metrics. */
function runLines(index: number): string {
  const lines = [spanLine(`a${index}`, `task ${index}`), spanLine(`b${index}`, `other ${index}`)]
  for (const span of [`a${index}`, `b${index}`]) {
    lines.push(
      JSON.stringify({
        t: 'i',
        span_id: span,
        direction: 'input',
        name: 'input',
        hash: 'shared-hash',
        size_bytes: 12,
        truncated: false,
        object: { text: 'same input' },
      }),
      JSON.stringify({
        t: 'm',
        span_id: span,
        name: 'score',
        value: index / 10,
        step: 0,
        ts: 1,
        source: 'log',
        seq: 0,
        attributes: null,
      }),
    )
  }
  return `${lines.join('\n')}\n`
}

function writeSpoolRun(root: string, records: string | Buffer, session: string): SpoolRun {
  const runId = randomUUID()
  const dir = join(root, session, runId)
  mkdirSync(dir, { recursive: true })
  const start = {
    type: 'start',
    v: SPOOL_FORMAT_VERSION,
    run_id: runId,
    session_id: session,
    project: 'batch-tests',
    name: `run-${runId.slice(0, 8)}.eval.ts`,
    file: `/virtual/${runId}.eval.ts`,
    started_at: 1_700_000_000_000_000,
    pid: process.pid,
    params: { model: 'm' },
    tags: ['t'],
  }
  writeFileSync(
    join(dir, 'run.ndjson'),
    `${JSON.stringify(start)}\n${JSON.stringify({ type: 'end', ended_at: 1_700_000_001_000_000, status: 'passed' })}\n`,
  )
  writeFileSync(join(dir, 'records.ndjson'), records)
  const run = readSpoolRun(dir)
  if (run === undefined) throw new Error('spool run not readable')
  return run
}

/** Every table's rows (run ids replaced by the run's name), sorted: what two ingests must agree on. */
async function contents(database: Database): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {}
  const names = new Map(
    (await database.query<{ run_id: string; name: string }>('SELECT run_id, name FROM runs')).map((row) => [
      row.run_id,
      row.name,
    ]),
  )
  for (const table of ['runs', 'spans', 'metrics', 'run_metrics', 'objects', 'task_io']) {
    const rows = await database.query<Record<string, unknown>>(`SELECT * FROM ${table}`)
    out[table] = rows
      .map((row) =>
        JSON.stringify({ ...row, run_id: names.get(String(row.run_id)) }, (_, value) =>
          typeof value === 'bigint' ? String(value) : value,
        ),
      )
      .sort()
  }
  return out
}

describe('session-scale ingest', () => {
  test('a batch of runs writes the same rows as ingesting each run on its own, and removes their folders', async () => {
    const root = scratch('batch-same')
    const session = randomUUID()
    const runs = Array.from({ length: 6 }, (_, index) =>
      writeSpoolRun(join(root, 'spool'), runLines(index), session),
    )
    // The same runs again, for the one-by-one ingest (same ids, fresh folders).
    const copies = runs.map((run, index) => {
      const copy = writeSpoolRun(join(root, 'spool-copy'), runLines(index), session)
      return {
        ...copy,
        runId: run.runId,
        start: { ...copy.start, run_id: run.runId, name: run.start.name, file: run.start.file },
      }
    })
    const batched = await openDatabase(join(root, 'batched.duckdb'))
    const single = await openDatabase(join(root, 'single.duckdb'))
    try {
      const counts = await ingestBatch(
        batched,
        runs.map((run) => ({ run, outcome: { status: 'passed' as const } })),
      )
      expect(counts).toMatchObject({ runs: 6, spans: 12, metrics: 12, objects: 6, task_io: 12 })
      for (const run of copies) await ingestRun(single, run, { status: 'passed' })
      expect(await contents(batched)).toEqual(await contents(single))
      expect(runs.some((run) => existsSync(run.dir))).toBe(false)
    } finally {
      batched.close()
      single.close()
    }
  })

  test('the queue writes runs that end together in one batch; a run already stored is not stored twice', async () => {
    const root = scratch('batch-queue')
    const db = join(root, 'strikes.duckdb')
    const session = randomUUID()
    const first = writeSpoolRun(join(root, 'spool'), runLines(0), session)
    const setup = await openDatabase(db)
    await ingestRun(setup, first, { status: 'passed' })
    setup.close()
    // The first run's folder reappears (the process died between the commit and removing it).
    const again = writeSpoolRun(join(root, 'spool'), runLines(0), session)
    const replay: SpoolRun = { ...again, runId: first.runId, start: { ...again.start, run_id: first.runId } }
    const others = Array.from({ length: 4 }, (_, index) =>
      writeSpoolRun(join(root, 'spool'), runLines(index + 1), session),
    )
    const queue = new IngestQueue(db, 5000)
    for (const run of [replay, ...others]) queue.enqueue({ run, outcome: { status: 'passed' } })
    await queue.drain()
    queue.release()
    expect(queue.errors).toEqual([])
    expect(queue.takeTotals()).toMatchObject({ runs: 4, rows: 4 * 7 }) // per run: 2 spans, 2 metrics, 2 task_io rows, 1 object
    const database = await openDatabase(db)
    try {
      const [row] = await database.query<{ runs: bigint; spans: bigint }>(
        'SELECT (SELECT count(*) FROM runs) AS runs, (SELECT count(*) FROM spans) AS spans',
      )
      expect(row).toEqual({ runs: 5n, spans: 10n })
    } finally {
      database.close()
    }
    expect(existsSync(again.dir)).toBe(false)
  })

  test('one run whose records DuckDB cannot read does not block the others of its batch: they land, it keeps its folder', async () => {
    const root = scratch('batch-bad')
    const db = join(root, 'strikes.duckdb')
    const session = randomUUID()
    const good = Array.from({ length: 3 }, (_, index) =>
      writeSpoolRun(join(root, 'spool'), runLines(index), session),
    )
    const bad = writeSpoolRun(join(root, 'spool'), '{"t": "s", "span_id": [1, 2\n', session)
    const repaired = writeSpoolRun(
      join(root, 'spool'),
      Buffer.concat([Buffer.from(`${spanLine('r1', 'cut \uD83D')}\n`)]),
      session,
    )
    const queue = new IngestQueue(db, 5000)
    for (const run of [good[0], bad, good[1], repaired, good[2]] as SpoolRun[]) {
      queue.enqueue({ run, outcome: { status: 'passed' } })
    }
    await queue.drain()
    queue.release()
    expect(queue.errors).toHaveLength(1)
    expect(queue.errors[0]?.message).toContain(`its records are kept in ${bad.dir}`)
    expect(queue.warnings.join('\n')).toContain('stored as U+FFFD')
    expect(existsSync(bad.dir)).toBe(true)
    const database = await openDatabase(db)
    try {
      const names = await database.query<{ name: string }>('SELECT name FROM runs ORDER BY name')
      expect(names.map((row) => row.name).sort()).toEqual(
        [...good, repaired].map((run) => run.start.name).sort(),
      )
      const [cut] = await database.query<{ name: string }>("SELECT name FROM spans WHERE span_id = 'r1'")
      expect(cut?.name).toBe('cut \uFFFD')
    } finally {
      database.close()
    }
  })

  test('a large run is ingested with bounded memory, whole even with a record over the streamed read size, and the settings are restored', {
    timeout: 120_000,
  }, async () => {
    const root = scratch('batch-large')
    const session = randomUUID()
    const big = JSON.stringify({
      t: 'i',
      span_id: 'a0',
      direction: 'output',
      name: 'output',
      hash: 'big-hash',
      size_bytes: 17 * 2 ** 20,
      truncated: false,
      object: { text: 'x'.repeat(17 * 2 ** 20) },
    })
    const lines = Array.from({ length: 20_000 }, (_, index) => spanLine(`s${index}`, `task ${index}`))
    const run = writeSpoolRun(join(root, 'spool'), `${lines.join('\n')}\n${big}\n`, session)
    const database = await openDatabase(join(root, 'strikes.duckdb'))
    try {
      const setting = async (): Promise<string> =>
        (await database.query<{ v: string }>("SELECT current_setting('memory_limit') AS v"))[0]?.v ?? ''
      const before = await setting()
      const counts = await ingestRun(database, run, { status: 'passed' })
      expect(counts).toMatchObject({ runs: 1, spans: 20_000, objects: 1, task_io: 1 })
      const [object] = await database.query<{ n: bigint }>(
        "SELECT length(value->>'text') AS n FROM objects WHERE hash = 'big-hash'",
      )
      expect(object?.n).toBe(BigInt(17 * 2 ** 20))
      // Restored as the value itself (DuckDB prints it rounded, so a 0.1 GiB step may show).
      const gib = (text: string): number => Number.parseFloat(text) * (text.includes('GiB') ? 1 : 1 / 1024)
      expect(gib(await setting())).toBeCloseTo(gib(before), 0)
    } finally {
      database.close()
    }
  })
})
