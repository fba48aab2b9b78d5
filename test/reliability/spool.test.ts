/**
 * The spool between a worker and the reporter under faults: a device that is full, a line torn by a killed
 * writer, text DuckDB refuses (lone UTF-16 surrogates, invalid UTF-8), and a database that cannot be
 * opened for several batches. Each keeps what was written and says where it is, once.
 */
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { ingestRun } from '../../reporter/store/ingest.js'
import { IngestQueue } from '../../reporter/store/ingest-queue.js'
import { Recorder } from '../../src/recorder.js'
import { SPOOL_FORMAT_VERSION } from '../../src/shared/spool/format.js'
import { readSpoolRun, type SpoolRun } from '../../src/shared/spool/reader.js'
import { wellFormedJsonText } from '../../src/shared/spool/text-repair.js'
import { SpoolWriter } from '../../src/shared/spool/writer.js'
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

/** Writes a finished run folder under `<root>/<session>/<run>` with the given records file (raw bytes). */
function writeSpoolRun(root: string, records: string | Buffer, session = randomUUID()): SpoolRun {
  const runId = randomUUID()
  const dir = join(root, session, runId)
  mkdirSync(dir, { recursive: true })
  const start = {
    type: 'start',
    v: SPOOL_FORMAT_VERSION,
    run_id: runId,
    session_id: session,
    project: 'spool-tests',
    name: 'spool.eval.ts',
    file: '/virtual/spool.eval.ts',
    started_at: 1_700_000_000_000_000,
    pid: process.pid,
    params: {},
    tags: [],
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

describe('a full device under the spool writer', () => {
  test('the write fails with "no space left on the device" naming the file, what was written before stays, later records are counted as dropped', () => {
    const dir = join(scratch('spool-full'), 'run')
    mkdirSync(dir)
    // Writes to /dev/full always fail with ENOSPC.
    symlinkSync('/dev/full', join(dir, 'records.ndjson'))
    const errors: Error[] = []
    const writer = new SpoolWriter(dir, { onError: (error) => errors.push(error) })
    writer.writeRunEvent({ type: 'tag', tags: ['written before'] })
    writer.append(spanLine('s1', 'first'))
    writer.append(spanLine('s2', 'second'))
    writer.flush()
    writer.append('{"t":"i","span_id":"b","direction":"input","name":"x","hash":"h"}')
    writer.close()
    expect(errors).toHaveLength(1)
    expect(errors[0]?.message).toBe(
      `strikes: could not write to the spool file ${join(dir, 'records.ndjson')} (no space left on the device); ` +
        `records written before this are kept in ${dir} and will be ingested`,
    )
    expect(writer.droppedRecords).toBe(3)
    expect(readFileSync(join(dir, 'run.ndjson'), 'utf8')).toBe('{"type":"tag","tags":["written before"]}\n')
  })
})

describe('ingest of what a faulty worker left', () => {
  test('a line torn by a killed writer is dropped and every complete line before it is ingested', async () => {
    const root = scratch('spool-torn')
    const torn = `${spanLine('s1', 'one')}\n${spanLine('s2', 'two')}\n${spanLine('s3', 'three').slice(0, 40)}`
    const run = writeSpoolRun(join(root, 'spool'), torn)
    const database = await openDatabase(join(root, 'strikes.duckdb'))
    try {
      const counts = await ingestRun(database, run, { status: 'crashed' })
      expect(counts).toMatchObject({ runs: 1, spans: 2, repairedLines: 0 })
      const names = await database.query<{ name: string }>('SELECT name FROM spans ORDER BY name')
      expect(names.map((row) => row.name)).toEqual(['one', 'two'])
      expect(existsSync(run.dir)).toBe(false)
    } finally {
      database.close()
    }
  })

  test('lone surrogates and invalid UTF-8 in any table are stored as U+FFFD instead of failing the whole run', async () => {
    const root = scratch('spool-repair')
    const bad = spanLine('s1', 'bad')
    const at = bad.indexOf('"bad"')
    // The name "bad ", then two bytes that are not UTF-8.
    const invalidUtf8 = Buffer.concat([
      Buffer.from(`${bad.slice(0, at)}"bad `),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(`${bad.slice(at + 4)}\n`),
    ])
    const run = writeSpoolRun(
      join(root, 'spool'),
      Buffer.concat([
        invalidUtf8,
        Buffer.from(`${spanLine('s2', 'cut \uD83D')}\n${spanLine('s3', 'fine 😀')}\n`),
        Buffer.from(
          `${JSON.stringify({ t: 'i', span_id: 's2', direction: 'output', name: 'output', hash: 'h1', size_bytes: 9, truncated: false, object: { text: 'lone \uDC00' } })}\n`,
        ),
        Buffer.from(
          `${JSON.stringify({ t: 'm', span_id: 's2', name: 'm \uD800', value: 1, step: 0, ts: 1, source: 'log', seq: 0, attributes: null })}\n`,
        ),
      ]),
    )
    const database = await openDatabase(join(root, 'strikes.duckdb'))
    try {
      const counts = await ingestRun(database, run, { status: 'passed' })
      expect(counts).toMatchObject({
        runs: 1,
        spans: 3,
        task_io: 1,
        objects: 1,
        metrics: 1,
        repairedLines: 4,
      })
      const spans = await database.query<{ name: string }>('SELECT name FROM spans ORDER BY span_id')
      expect(spans.map((row) => row.name)).toEqual(['bad \uFFFD\uFFFD', 'cut \uFFFD', 'fine 😀'])
      const [object] = await database.query<{ text: string }>(`SELECT value->>'text' AS text FROM objects`)
      expect(object?.text).toBe('lone \uFFFD')
      const [metric] = await database.query<{ name: string }>('SELECT name FROM metrics')
      expect(metric?.name).toBe('m \uFFFD')
    } finally {
      database.close()
    }
  })

  test('a run already in the database (ingested just before an interruption) is not ingested twice', async () => {
    const root = scratch('spool-twice')
    const database = await openDatabase(join(root, 'strikes.duckdb'))
    try {
      const lines = `${spanLine('s1', 'one')}\n`
      const run = writeSpoolRun(join(root, 'spool'), lines)
      await ingestRun(database, run, { status: 'passed' })
      // The folder reappears as if the process died between the commit and removing it.
      const again = writeSpoolRun(join(root, 'spool'), lines)
      const replay: SpoolRun = { ...again, runId: run.runId }
      expect(await ingestRun(database, replay, { status: 'passed' })).toMatchObject({ runs: 0, spans: 0 })
      const [row] = await database.query<{ n: bigint }>('SELECT count(*) AS n FROM spans')
      expect(row?.n).toBe(1n)
      expect(existsSync(again.dir)).toBe(false)
    } finally {
      database.close()
    }
  })
})

describe('wellFormedJsonText', () => {
  test.each([
    ['an escaped lone high surrogate', '"a\\ud800b"', '"a\\ufffdb"'],
    ['an escaped lone low surrogate', '"a\\uDC00b"', '"a\\ufffdb"'],
    ['an escaped pair', '"\\ud83d\\ude00"', '"\\ud83d\\ude00"'],
    ['an escaped backslash before text that looks like an escape', '"\\\\ud800"', '"\\\\ud800"'],
    ['a raw lone surrogate', '"a\uD800"', '"a\uFFFD"'],
    ['a raw pair', '"😀"', '"😀"'],
    ['other escapes', '"\\n\\t\\u0000\\"x"', '"\\n\\t\\u0000\\"x"'],
  ])('%s', (_name, text, expected) => {
    expect(wellFormedJsonText(text)).toBe(expected)
  })
})

describe('a database that cannot be opened for several batches', () => {
  test('gives one error per kind of failure, naming every spool folder whose runs it kept', async () => {
    const root = scratch('spool-refused')
    const db = join(root, 'strikes.duckdb')
    writeFileSync(db, 'notes the user keeps here\n')
    const queue = new IngestQueue(db, 1000)
    const first = writeSpoolRun(join(root, 'spool'), `${spanLine('s1', 'one')}\n`)
    queue.enqueue({ run: first, outcome: { status: 'passed' } })
    await queue.drain()
    const second = writeSpoolRun(join(root, 'spool'), `${spanLine('s2', 'two')}\n`)
    queue.enqueue({ run: second, outcome: { status: 'passed' } })
    await queue.drain()
    expect(await queue.withDatabase(async () => 'opened')).toBeUndefined()
    expect(queue.errors).toHaveLength(1)
    const [error] = queue.errors
    expect(error?.name).toBe('NotDuckDBError')
    expect(error?.message).toContain(`strikes: ${db} is not a DuckDB database; it was left untouched`)
    expect(error?.message).toContain(join(root, 'spool', first.start.session_id))
    expect(error?.message).toContain(join(root, 'spool', second.start.session_id))
    expect(readFileSync(db, 'utf8')).toBe('notes the user keeps here\n')
    expect(existsSync(first.dir) && existsSync(second.dir)).toBe(true)
  })

  test('an empty records file (the worker wrote no record) gives a run without records', async () => {
    const root = scratch('spool-empty')
    const run = writeSpoolRun(join(root, 'spool'), '')
    const database = await openDatabase(join(root, 'strikes.duckdb'))
    try {
      expect(await ingestRun(database, run, { status: 'passed' })).toMatchObject({
        runs: 1,
        spans: 0,
        metrics: 0,
        objects: 0,
      })
    } finally {
      database.close()
    }
  })
})

describe('error text of any size', () => {
  test('an error message and stack longer than maxObjectBytes are cut, with the full length, and flagged', () => {
    const dir = join(scratch('spool-error-text'), 'run')
    const writer = new SpoolWriter(dir)
    const recorder = new Recorder('run', writer, 1_000)
    const huge = 'x'.repeat(5_000_000)
    recorder.recordSpan({
      span_id: 's1',
      trace_id: 't'.repeat(32),
      parent_id: null,
      kind: 'task',
      name: 'loud',
      label: 'loud',
      tags: [],
      status: 'error',
      error: `Error: ${huge}`,
      started_at: 1,
      duration_ms: 1,
      attributes: {
        'exception.message': huge,
        'exception.stacktrace': `Error: ${huge}\n    at loud`,
        model: 'm',
      },
      input_key: null,
      trial: null,
    })
    writer.close()
    const line = readFileSync(join(dir, 'records.ndjson'), 'utf8')
    expect(line.length).toBeLessThan(5_000)
    const record = JSON.parse(line) as { error: string; attributes: Record<string, unknown> }
    expect(record.error).toMatch(/^Error: x+… \[cut: 5,000,007 bytes in all\]$/)
    expect(record.attributes['exception.message']).toMatch(/… \[cut: 5,000,000 bytes in all\]$/)
    expect(record.attributes).toMatchObject({ 'strikes.error_truncated': true, model: 'm' })
  })
})
