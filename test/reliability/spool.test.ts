/**
 * The spool between a worker and the reporter under faults: a device that is full, a line torn by a killed
 * writer, text DuckDB refuses (lone UTF-16 surrogates, invalid UTF-8), and a database that cannot be
 * opened for several batches. Each keeps what was written and says where it is, once.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
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
import { canMountTmpfs, mountTmpfs, NO_TMPFS } from './tmpfs.js'

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

/** Characters of the name of each span the killed writer writes (8 MB lines). */
const LINE_NAME_CHARS = 8 * 1024 * 1024

/** The file-size limit of the writer: three and a half of its lines, in the 512-byte blocks `ulimit -f` takes. */
const WRITER_LIMIT_BLOCKS = Math.floor((3.5 * LINE_NAME_CHARS) / 512)

/**
 * Starts a node process that opens a run spool at `dir` with strikes' writer and appends 8 MB span lines
 * back to back, under a file-size limit (`ulimit -f`) that falls inside its fourth line: the kernel cuts
 * that write where the limit falls, exactly as it would stop a writer killed inside it. The writer is then
 * killed with SIGKILL; resolves when it is dead. (Sending SIGKILL at a random moment lands inside a write
 * only by chance, which a loaded machine makes rare; the limit puts the cut in the write every time.)
 */
async function killWriterMidWrite(dir: string): Promise<void> {
  const writerModule = join(REPO_ROOT, 'dist/src/shared/spool/writer.js')
  const script = `
    import { SpoolWriter } from ${JSON.stringify(writerModule)}
    const dir = ${JSON.stringify(dir)}
    const writer = new SpoolWriter(dir)
    const runId = dir.split('/').at(-1)
    writer.writeRunEvent({ type: 'start', v: 1, run_id: runId, session_id: 'session', project: 'p', name: 'torn',
      file: 'torn', started_at: 1, pid: process.pid, params: {}, tags: [] })
    const name = 'n'.repeat(${LINE_NAME_CHARS})
    for (let index = 0; ; index++) {
      writer.append(${JSON.stringify(spanLine('ID', 'NAME'))}.replace('"ID"', JSON.stringify('s' + index)).replace('"NAME"', JSON.stringify(name)))
    }`
  const child = spawn(
    '/bin/sh',
    [
      '-c',
      `ulimit -f ${WRITER_LIMIT_BLOCKS} && exec "$0" --input-type=module -e "$1"`,
      process.execPath,
      script,
    ],
    { stdio: 'ignore' },
  )
  const closed = new Promise((resolve) => child.on('close', resolve))
  const records = join(dir, 'records.ndjson')
  const deadline = Date.now() + 120_000
  while (!existsSync(records) || statSync(records).size < WRITER_LIMIT_BLOCKS * 512) {
    if (Date.now() > deadline || child.exitCode !== null) break
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  child.kill('SIGKILL')
  await closed
}

describe('a full device under the spool writer', () => {
  test('the write fails with "no space left on the device" naming the file, what was written before stays, later records are counted as dropped', (context) => {
    if (!canMountTmpfs()) context.skip(NO_TMPFS)
    // A 64 KiB device: the run event fits, a 200 KB batch does not.
    const device = mountTmpfs('size=64k')
    try {
      const dir = join(device.dir, 'session', 'run')
      const errors: Error[] = []
      const writer = new SpoolWriter(dir, { batchBytes: 1024 * 1024, onError: (error) => errors.push(error) })
      writer.writeRunEvent({ type: 'tag', tags: ['written before'] })
      for (let index = 0; index < 1000; index++) writer.append(spanLine(`s${index}`, 'x'.repeat(200)))
      writer.flush()
      writer.append('{"t":"i","span_id":"b","direction":"input","name":"x","hash":"h"}')
      writer.close()
      expect(errors).toHaveLength(1)
      expect(errors[0]?.message).toBe(
        `strikes: could not write to the spool file ${join(dir, 'records.ndjson')} (no space left on the device); ` +
          `records written before this are kept in ${dir} and will be ingested`,
      )
      expect(writer.droppedRecords).toBe(1001)
      expect(writer.writtenRecords).toBe(0)
      expect(readFileSync(join(dir, 'run.ndjson'), 'utf8')).toBe('{"type":"tag","tags":["written before"]}\n')
    } finally {
      device.unmount()
    }
  })
})

describe('ingest of what a faulty worker left', () => {
  test('a line torn by a writer killed (SIGKILL) inside a write is dropped, and every complete line before it is ingested', async () => {
    const root = scratch('spool-torn')
    const spool = join(root, 'strikes.duckdb.spool')
    const dir = join(spool, 'session', 'run-torn')
    await killWriterMidWrite(dir)
    const bytes = readFileSync(join(dir, 'records.ndjson'))
    expect(bytes.length).toBe(WRITER_LIMIT_BLOCKS * 512)
    expect(bytes[bytes.length - 1]).not.toBe(0x0a)
    const complete = bytes.toString('latin1').split('\n').length - 1
    expect(complete).toBe(3)
    const torn = { dir, complete }
    const run = readSpoolRun(torn.dir)
    if (run === undefined) throw new Error('the killed writer left no run start')
    const database = await openDatabase(join(root, 'strikes.duckdb'), { allowedDirectories: [spool] })
    try {
      const counts = await ingestRun(database, run, { status: 'crashed' })
      expect(counts).toMatchObject({ runs: 1, spans: torn.complete, repairedLines: 0 })
      const [row] = await database.query<{ n: bigint; whole: bigint }>(
        `SELECT count(*) AS n, count(*) FILTER (WHERE length(name) = ${LINE_NAME_CHARS}) AS whole FROM spans`,
      )
      expect(Number(row?.n)).toBe(torn.complete)
      expect(Number(row?.whole)).toBe(torn.complete)
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
    const database = await openDatabase(join(root, 'strikes.duckdb'), {
      allowedDirectories: [join(root, 'spool')],
    })
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
    const database = await openDatabase(join(root, 'strikes.duckdb'), {
      allowedDirectories: [join(root, 'spool')],
    })
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
    const database = await openDatabase(join(root, 'strikes.duckdb'), {
      allowedDirectories: [join(root, 'spool')],
    })
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
  test('an error message and stack longer than maxObjectBytes are stored cut at maxObjectBytes bytes of UTF-8, never inside a character, with their full size, and flagged', async () => {
    const root = scratch('spool-error-text')
    const spool = join(root, 'strikes.duckdb.spool')
    const dir = join(spool, 'session', 'run')
    const writer = new SpoolWriter(dir)
    writer.writeRunEvent({
      type: 'start',
      v: SPOOL_FORMAT_VERSION,
      run_id: 'run',
      session_id: 'session',
      project: 'spool-tests',
      name: 'loud.eval.ts',
      file: 'loud.eval.ts',
      started_at: 1_700_000_000_000_000,
      pid: process.pid,
      params: {},
      tags: [],
    })
    const limit = 1_000
    const recorder = new Recorder('run', writer, limit)
    // 3 bytes per character, and 4 bytes per character (a surrogate pair): a cut by characters or at an
    // odd byte would overshoot the limit or break a character.
    const message = `Error: ${'€'.repeat(2_000_000)}`
    const stack = `Error: ${'😀'.repeat(1_000_000)}\n    at loud`
    recorder.recordSpan({
      span_id: 's1',
      trace_id: 't'.repeat(32),
      parent_id: null,
      kind: 'task',
      name: 'loud',
      label: 'loud',
      tags: [],
      status: 'error',
      error: message,
      started_at: 1,
      duration_ms: 1,
      attributes: { 'exception.message': message, 'exception.stacktrace': stack, model: 'm' },
      input_key: null,
      trial: null,
    })
    writer.writeRunEvent({ type: 'end', ended_at: 2, status: 'failed', records: writer.writtenRecords })
    writer.close()
    const run = readSpoolRun(dir)
    if (run === undefined) throw new Error('no run')
    const database = await openDatabase(join(root, 'strikes.duckdb'), { allowedDirectories: [spool] })
    let row: { error: string; message: string; stack: string; truncated: boolean; model: string } | undefined
    try {
      await ingestRun(database, run, { status: 'failed' })
      ;[row] = await database.query(
        `SELECT error, attributes->>'$."exception.message"' AS message, attributes->>'$."exception.stacktrace"' AS stack,
           (attributes->>'$."strikes.error_truncated"')::BOOLEAN AS truncated, attributes->>'$.model' AS model
         FROM spans`,
      )
    } finally {
      database.close()
    }
    expect(row).toMatchObject({ truncated: true, model: 'm' })
    for (const [stored, original] of [
      [row?.error, message],
      [row?.message, message],
      [row?.stack, stack],
    ] as const) {
      const match = /^([\s\S]*)… \[cut: ([\d,]+) bytes in all\]$/.exec(stored ?? '')
      const kept = match?.[1] ?? ''
      // A prefix of the original (so no character was broken), within the limit, and as long as the limit allows.
      expect(original.startsWith(kept)).toBe(true)
      expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(limit)
      expect(Buffer.byteLength(kept)).toBeGreaterThan(limit - 4)
      expect(match?.[2]).toBe(Buffer.byteLength(original).toLocaleString('en-US'))
    }
  })
})
