/**
 * Bounded everything: a session of 150,000 distinct metric keys ends with its summary; summary, compare,
 * query and report handle 1,000,000 rows and 1,000,000 distinct keys without recursion limits (tables
 * capped with "and N more", JSON and CSV streamed); names of 50 MB and 200,000 characters are cut for
 * display (the full values stay in the database); NULLs where crafted rows put them break nothing; and
 * the report stays within its size bound whatever the file holds.
 */
import { spawn } from 'node:child_process'
import { closeSync, createReadStream, openSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { formatSummary, loadSessionSummary } from '../../reporter/summary.js'
import { fixtureProject, REPO_ROOT, runNode } from '../helpers/fixture-project.js'

const CLI = join(REPO_ROOT, 'dist/reporter/cli/main.js')
/** What any report is held to, whatever the database (see reporter/report/report-budget.ts). */
const REPORT_BOUND_BYTES = 12 * 1024 * 1024

/** Runs the CLI with stdout to a file (outputs of hundreds of MB are never held in the test). */
async function strikesToFile(args: string[], out: string): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(out, 'w')
  try {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', fd, 'pipe'], cwd: REPO_ROOT })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
    return { code, stderr }
  } finally {
    closeSync(fd)
  }
}

/** Counts the lines of a file, and those containing `needle`, streaming. */
async function countLines(file: string, needle?: string): Promise<{ lines: number; matching: number }> {
  let lines = 0
  let matching = 0
  let rest = ''
  for await (const chunk of createReadStream(file, { encoding: 'utf8' })) {
    const parts = (rest + chunk).split('\n')
    rest = parts.pop() ?? ''
    lines += parts.length
    if (needle !== undefined) for (const part of parts) if (part.includes(needle)) matching += 1
  }
  return { lines, matching }
}

async function sql(db: string, statements: readonly string[]): Promise<void> {
  const database = await openDatabase(db)
  try {
    for (const statement of statements) await database.run(statement)
  } finally {
    database.close()
  }
}

/** A session row and one run, as the reporter writes them. */
function sessionStatements(session: string, run: string): string[] {
  return [
    `INSERT INTO sessions (session_id, started_at, ended_at, status, strikes_version, root, seq)
     VALUES ('${session}', now()::TIMESTAMP, now()::TIMESTAMP, 'passed', 'test', '/x', (SELECT coalesce(max(seq), 0) + 1 FROM sessions))`,
    `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms, params, tags)
     VALUES ('${run}', '${session}', 'scale', 'keys.eval.ts', 'keys.eval.ts', 'passed', now()::TIMESTAMP, now()::TIMESTAMP, 1, '{}', [])`,
  ]
}

describe('150,000 distinct metric keys in one vitest session', { timeout: 300_000 }, () => {
  test('the session ends with its summary (20 keys and how many more), and exit 0', async () => {
    const project = fixtureProject('reliability-store')
    const result = await project.vitest(['--reporter=strikes'], {
      env: { STORE_TASKS: '1', STORE_KEYS: '150000', STORE_REPORT: 'false' },
      timeoutMs: 300_000,
    })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain(' strikes 1 run recorded')
    expect(result.stdout).toContain('… and 149981 more keys')
    expect(result.stdout + result.stderr).not.toContain('Maximum call stack size exceeded')
  })
})

// Each of these reads a million rows in a separate process, on a shared 2-core machine.
describe('a million distinct keys, a million rows', { timeout: 600_000 }, () => {
  let db: string
  let dir: string

  beforeAll(async () => {
    dir = fixtureProject(undefined).dir
    db = join(dir, 'strikes.duckdb')
    const keys = (run: string, shift: number) =>
      `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
       SELECT '${run}', NULL, 'key_' || lpad(i::VARCHAR, 7, '0'), (i % 100) / 100 + ${shift}, (i % 100) / 100 + ${shift},
         NULL, 0, now()::TIMESTAMP, i FROM range(1000000) t(i)`
    await sql(db, [
      ...sessionStatements('session-a', 'run-a'),
      keys('run-a', 0),
      ...sessionStatements('session-b', 'run-b'),
      keys('run-b', -0.01),
    ])
  }, 300_000)

  test('the summary of a session of a million keys reads 20 and counts the rest', async () => {
    const database = await openDatabase(db, { readOnly: true })
    let text: string
    try {
      text = formatSummary(await loadSessionSummary(database, 'session-b'), {
        dbPath: db,
        reportPath: undefined,
        cwd: dir,
        color: false,
      })
    } finally {
      database.close()
    }
    expect(text.split('\n').length).toBeLessThan(30)
    expect(text).toContain('… and 999980 more keys')
  })

  test('compare prints the first 100 keys and counts the rest; --json streams all million', async () => {
    const table = await runNode([CLI, 'compare', 'session-a', 'session-b', '--db', db], dir, {
      timeoutMs: 300_000,
    })
    expect(table.code, table.stderr).toBe(0)
    // One value per key and side, no inputs: nothing to test, every key has too little data.
    expect(table.stdout).toContain(
      '1000000 keys: 0 regressed · 0 improved · 0 no change · 1000000 insufficient data',
    )
    expect(table.stdout).toContain('… and 999,900 more keys (raise --limit, or use --json for all)')
    expect(table.stdout.split('\n').length).toBeLessThan(200)
    const out = join(dir, 'compare.json')
    const json = await strikesToFile(['compare', 'session-a', 'session-b', '--json', '--db', db], out)
    expect(json.code, json.stderr).toBe(0)
    expect((await countLines(out, '"verdict": "insufficient_data"')).matching).toBe(1_000_000)
  })

  test('query shows the first 1,000 rows of two million and counts the rest; --csv streams every row', async () => {
    const table = await runNode(
      [CLI, 'query', 'SELECT run_id, name, raw_value FROM run_metrics', '--db', db],
      dir,
      {
        timeoutMs: 300_000,
      },
    )
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout).toContain(
      '(2,000,000 rows; the first 1,000 shown — and 1,999,000 more: add LIMIT, or use --csv or --json for every row)',
    )
    expect(table.stdout.split('\n').length).toBeLessThan(1_010)
    const out = join(dir, 'rows.csv')
    const csv = await strikesToFile(
      ['query', 'SELECT run_id, name, raw_value FROM run_metrics', '--csv', '--db', db],
      out,
    )
    expect(csv.code, csv.stderr).toBe(0)
    expect((await countLines(out)).lines).toBe(2_000_001)
  })

  test('the report of a session of a million keys stays small, saying how many keys it left out', async () => {
    const out = join(dir, 'report.html')
    const result = await runNode([CLI, 'report', '--session', 'session-b', '--out', out, '--db', db], dir, {
      timeoutMs: 300_000,
    })
    expect(result.code, result.stderr).toBe(0)
    expect(statSync(out).size).toBeLessThan(REPORT_BOUND_BYTES)
    expect(readFileSync(out, 'utf8')).toContain('and 999,940 more metric keys')
  })
})

describe('oversized names and NULLs in crafted rows', { timeout: 300_000 }, () => {
  let db: string
  let dir: string
  const RUN_NAME_CHARS = 50 * 1024 * 1024

  beforeAll(async () => {
    dir = fixtureProject(undefined).dir
    db = join(dir, 'strikes.duckdb')
    await sql(db, [
      ...sessionStatements('session-a', 'run-a'),
      ...sessionStatements('session-b', 'run-b'),
      `UPDATE runs SET name = repeat('n', ${RUN_NAME_CHARS}) WHERE run_id = 'run-b'`,
      // Tasks with a name of 200,000 characters, their values, scores and failures.
      `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at, duration_ms, attributes)
       SELECT 'span-' || i, 't', 'run-b', NULL, 'task', repeat('t', 200000), 'label_' || (i % 3), [repeat('g', 100000)],
         CASE WHEN i % 2 = 0 THEN 'ok' ELSE 'error' END, CASE WHEN i % 2 = 1 THEN repeat('e', 300000) END,
         now()::TIMESTAMP, 1, '{}' FROM range(40) t(i)`,
      `INSERT INTO metrics (run_id, span_id, name, value, step, ts, source, attributes, seq)
       SELECT 'run-b', 'span-' || i, repeat('m', 100000), 0.5, 0, now()::TIMESTAMP, 'scorer', NULL, i FROM range(40) t(i)`,
      `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
       SELECT r, NULL, repeat('k', 100000) || i, 1, 1, NULL, 0, now()::TIMESTAMP, i FROM range(3) t(i), (VALUES ('run-a'), ('run-b')) v(r)`,
      // NULLs wherever a crafted file can put them.
      ...sessionStatements('session-null', 'run-null'),
      `UPDATE sessions SET status = NULL, git_sha = NULL, root = NULL, strikes_version = NULL WHERE session_id = 'session-null'`,
      `UPDATE runs SET name = NULL, project = NULL, status = NULL, file = NULL, params = NULL, tags = NULL, duration_ms = NULL
       WHERE run_id = 'run-null'`,
      `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at, duration_ms, attributes)
       VALUES ('span-null', NULL, 'run-null', NULL, 'task', NULL, NULL, NULL, 'ok', NULL, NULL, NULL, NULL),
              ('span-null-error', NULL, 'run-null', NULL, 'task', NULL, NULL, NULL, 'error', NULL, NULL, NULL, NULL)`,
      `INSERT INTO metrics (run_id, span_id, name, value, step, ts, source, attributes, seq)
       VALUES ('run-null', 'span-null', NULL, NULL, NULL, NULL, 'scorer', NULL, NULL)`,
      `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
       VALUES ('run-null', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL), ('run-null', NULL, 'real', 1, 1, NULL, 0, NULL, 1)`,
      `INSERT INTO task_io VALUES ('run-null', 'span-null', 'output', NULL, NULL)`,
      `INSERT INTO objects VALUES ('run-null', NULL, NULL, NULL, NULL)`,
    ])
  }, 300_000)

  test('runs prints the 50 MB name cut, saying its length; the output stays small', async () => {
    const result = await runNode([CLI, 'runs', '--db', db], dir, { timeoutMs: 300_000 })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('… (1,000 characters)')
    expect(result.stdout.length).toBeLessThan(20_000)
  })

  test('compare prints both sessions’ keys cut, the output small', async () => {
    const result = await runNode([CLI, 'compare', 'session-a', 'session-b', '--db', db], dir, {
      timeoutMs: 300_000,
    })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain('characters)')
    expect(result.stdout.length).toBeLessThan(20_000)
  })

  test('the report of the session with the huge names stays within the bound, names cut', async () => {
    const out = join(dir, 'huge.html')
    const result = await runNode([CLI, 'report', '--session', 'session-b', '--out', out, '--db', db], dir, {
      timeoutMs: 300_000,
    })
    expect(result.code, result.stderr).toBe(0)
    const html = readFileSync(out, 'utf8')
    expect(html.length).toBeLessThan(REPORT_BOUND_BYTES)
    expect(html).not.toContain('t'.repeat(1_000))
    expect(html).not.toContain('n'.repeat(1_000))
  })

  test.each([
    ['runs', ['runs']],
    ['runs --json', ['runs', '--json']],
    ['compare', ['compare', 'session-a', 'session-null']],
    ['compare --json', ['compare', 'session-null', 'session-a', '--json']],
    ['query', ['query', 'SELECT * FROM runs']],
    ['gate', ['gate', 'real: avg >= 0', '--session', 'session-null']],
    ['report', ['report', '--session', 'session-null', '--out', 'null-report.html']],
  ])('NULLs in every nullable column: %s works', async (_name, args) => {
    const result = await runNode([CLI, ...args, '--db', db], dir, { timeoutMs: 300_000 })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).not.toMatch(/not iterable|Cannot read properties|localeCompare/)
  })
})
