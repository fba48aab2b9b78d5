/**
 * Session-scale ingest: runs queued together are written in one transaction with the same rows as
 * ingesting them one by one, and a batch keeps the per-run guarantees (a bad run does not block the
 * others, a run already stored is not stored twice, text DuckDB refuses is repaired).
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { type Database, openDatabase } from '../../reporter/store/database.js'
import { ingestRun } from '../../reporter/store/ingest.js'
import { ingestBatch } from '../../reporter/store/ingest-batch.js'
import { IngestQueue } from '../../reporter/store/ingest-queue.js'
import { SPOOL_FORMAT_VERSION } from '../../src/shared/spool/format.js'
import { readSpoolRun, type SpoolRun } from '../../src/shared/spool/reader.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { spanLine } from '../helpers/spool-lines.js'

function scratch(prefix: string): string {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  return mkdtempSync(join(REPO_ROOT, `test/.tmp/${prefix}-`))
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

/** DuckDB may read only the spool root (the trust rule): its real path, created when missing. */
function spoolAccess(spool: string): string[] {
  mkdirSync(spool, { recursive: true })
  return [realpathSync(spool)]
}

function writeSpoolRun(root: string, records: string | Buffer, session: string, written?: number): SpoolRun {
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
    `${JSON.stringify(start)}\n${JSON.stringify({ type: 'end', ended_at: 1_700_000_001_000_000, status: 'passed', ...(written === undefined ? {} : { records: written }) })}\n`,
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
    const batched = await openDatabase(join(root, 'batched.duckdb'), {
      allowedDirectories: spoolAccess(join(root, 'spool')),
    })
    const single = await openDatabase(join(root, 'single.duckdb'), {
      allowedDirectories: spoolAccess(join(root, 'spool-copy')),
    })
    try {
      const counts = await ingestBatch(
        batched,
        runs.map((run) => ({ run, outcome: { status: 'passed' as const } })),
      )
      expect(counts.totals).toMatchObject({ runs: 6, spans: 12, metrics: 12, objects: 6, task_io: 12 })
      // Each run's lines are counted on their own (6 lines each), none left out.
      for (const run of runs) {
        expect(counts.perRun.get(run.runId)).toMatchObject({ lines: 6, orphanValues: 0, orphanPoints: 0 })
      }
      for (const run of copies) await ingestRun(single, run, { status: 'passed' })
      expect(await contents(batched)).toEqual(await contents(single))
      expect(runs.some((run) => existsSync(run.dir))).toBe(false)
    } finally {
      batched.close()
      single.close()
    }
  })

  test('run rows keep their fields, and text DuckDB cannot store in a name, params, tags or error becomes U+FFFD, batched or alone', async () => {
    const root = scratch('batch-run-rows')
    const session = randomUUID()
    const spool = join(root, 'spool')
    const crafted = (): SpoolRun => {
      const run = writeSpoolRun(spool, runLines(0), session)
      return {
        ...run,
        start: {
          ...run.start,
          name: 'cut \uD83D.eval.ts',
          started_at: 1_700_000_000_250_000,
        },
        params: { note: 'lone \uDC00', model: 'm' },
        tags: ['t \uD800'],
      }
    }
    const batch = [crafted(), crafted()]
    const alone = crafted()
    const database = await openDatabase(join(root, 'strikes.duckdb'), {
      allowedDirectories: spoolAccess(spool),
    })
    try {
      const outcome = {
        status: 'failed' as const,
        error: 'boom \uD83D',
        endedAt: new Date(1_700_000_001_000),
      }
      await ingestBatch(
        database,
        batch.map((run) => ({ run, outcome })),
      )
      await ingestRun(database, alone, outcome)
      const rows = await database.query<Record<string, unknown>>(
        `SELECT run_id, session_id, project, name, file, status, epoch_us(started_at) AS started,
           epoch_us(ended_at) AS ended, duration_ms, params->>'note' AS note, params->>'model' AS model, tags,
           error FROM runs`,
      )
      expect(rows).toHaveLength(3)
      for (const run of [...batch, alone]) {
        expect(rows.find((row) => row.run_id === run.runId)).toEqual({
          run_id: run.runId,
          session_id: session,
          project: 'batch-tests',
          name: 'cut \uFFFD.eval.ts',
          file: run.start.file,
          status: 'failed',
          started: 1_700_000_000_250_000n,
          ended: 1_700_000_001_000_000n,
          duration_ms: 750,
          note: 'lone \uFFFD',
          model: 'm',
          tags: ['t \uFFFD'],
          error: 'boom \uFFFD',
        })
      }
    } finally {
      database.close()
    }
  })

  test('the queue writes runs that end together in one batch; a run already stored is not stored twice', async () => {
    const root = scratch('batch-queue')
    const db = join(root, 'strikes.duckdb')
    const session = randomUUID()
    const first = writeSpoolRun(join(root, 'spool'), runLines(0), session)
    const setup = await openDatabase(db, { allowedDirectories: spoolAccess(join(root, 'spool')) })
    await ingestRun(setup, first, { status: 'passed' })
    setup.close()
    // The first run's folder reappears (the process died between the commit and removing it).
    const again = writeSpoolRun(join(root, 'spool'), runLines(0), session)
    const replay: SpoolRun = { ...again, runId: first.runId, start: { ...again.start, run_id: first.runId } }
    const others = Array.from({ length: 4 }, (_, index) =>
      writeSpoolRun(join(root, 'spool'), runLines(index + 1), session),
    )
    const queue = new IngestQueue(db, 5000, join(root, 'spool'))
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
    const queue = new IngestQueue(db, 5000, join(root, 'spool'))
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
      span_id: 's0', // a task of the run (a value of a task that never ended would be left out)
      direction: 'output',
      name: 'output',
      hash: 'big-hash',
      size_bytes: 17 * 2 ** 20,
      truncated: false,
      object: { text: 'x'.repeat(17 * 2 ** 20) },
    })
    const lines = Array.from({ length: 20_000 }, (_, index) => spanLine(`s${index}`, `task ${index}`))
    const run = writeSpoolRun(join(root, 'spool'), `${lines.join('\n')}\n${big}\n`, session)
    // The reporter's ingest connection: its configuration unlocked, so the memory limit can be lowered.
    const database = await openDatabase(join(root, 'strikes.duckdb'), {
      allowedDirectories: spoolAccess(join(root, 'spool')),
      lockConfiguration: false,
    })
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

  test('every run of a batch gets the checks of a run ingested alone: lost records are an error, values of a task that never ended (even one whose span id another run holds) are left out with a warning', async () => {
    const root = scratch('batch-checks')
    const db = join(root, 'strikes.duckdb')
    const session = randomUUID()
    const whole = writeSpoolRun(join(root, 'spool'), runLines(1), session, 6)
    // Its worker wrote 6 lines; 4 are left (the folder was changed while the run was recorded).
    const lost = writeSpoolRun(
      join(root, 'spool'),
      `${runLines(2).split('\n').slice(0, 4).join('\n')}\n`,
      session,
      6,
    )
    // A value and a point of task `a1`, which ended only in another run: not this run's span.
    const orphanLines = [
      spanLine('c3', 'ended'),
      JSON.stringify({
        t: 'i',
        span_id: 'a1',
        direction: 'output',
        name: 'output',
        hash: 'h-orphan',
        size_bytes: 2,
        truncated: false,
        object: 'no',
      }),
      JSON.stringify({
        t: 'm',
        span_id: 'a1',
        name: 'score',
        value: 1,
        step: 0,
        ts: 1,
        source: 'log',
        seq: 0,
        attributes: null,
      }),
    ]
    const orphan = writeSpoolRun(join(root, 'spool'), `${orphanLines.join('\n')}\n`, session, 3)
    const queue = new IngestQueue(db, 5000, join(root, 'spool'))
    for (const run of [whole, lost, orphan]) queue.enqueue({ run, outcome: { status: 'passed' } })
    await queue.drain()
    queue.release()
    expect(queue.errors.map((error) => error.message)).toEqual([
      expect.stringContaining(
        `run "${lost.start.name}" lost records: its worker wrote 6 but ${lost.dir} held 4`,
      ),
    ])
    expect(queue.warnings).toEqual([
      expect.stringContaining(
        `run "${orphan.start.name}": 1 logged values and 1 metric points of tasks that never ended`,
      ),
    ])
    const database = await openDatabase(db, { readOnly: true })
    try {
      const rows = await database.query<{ name: string; spans: bigint; io: bigint; points: bigint }>(
        `SELECT r.name,
           (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id) AS spans,
           (SELECT count(*) FROM task_io t WHERE t.run_id = r.run_id) AS io,
           (SELECT count(*) FROM metrics m WHERE m.run_id = r.run_id) AS points
         FROM runs r ORDER BY r.name`,
      )
      const byName = new Map(rows.map((row) => [row.name, row]))
      expect(byName.get(whole.start.name)).toMatchObject({ spans: 2n, io: 2n, points: 2n })
      expect(byName.get(orphan.start.name)).toMatchObject({ spans: 1n, io: 0n, points: 0n })
      expect(byName.get(lost.start.name)).toMatchObject({ spans: 2n })
    } finally {
      database.close()
    }
  })
})
