/**
 * Faults around a real `vitest run --reporter=strikes`: a worker killed mid-test, a test timing out with
 * tasks in flight, Ctrl-C of vitest during ingest, the DuckDB file locked by another process, a database
 * of an older schema, an unwritable report path and a full disk under the spool. Each proves that what
 * was recorded is kept (now, or by the next session) and that the user is told what happened and where.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, test } from 'vitest'
import { BEFORE_THE_KILL } from '../../fixtures/projects/reliability-faults/kill-plan.js'
import { MIGRATIONS } from '../../reporter/store/schema.js'
import { type FixtureProject, fixtureProject, query, type RunResult } from '../helpers/fixture-project.js'
import { someRunEnded, spoolRunFolders, startVitest, waitFor } from './vitest-process.js'

function count(value: bigint | number | undefined): number {
  return Number(value ?? 0)
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Holds the project's database open (and so locked) from this process until `release` is called. */
async function holdDatabase(project: FixtureProject): Promise<{ release(): void }> {
  mkdirSync(dirname(project.db), { recursive: true })
  const instance = await DuckDBInstance.create(project.db)
  const connection = await instance.connect()
  return {
    release() {
      connection.closeSync()
      instance.closeSync()
    },
  }
}

/** Lines of the output that start a strikes error about the database. */
function databaseErrors(result: RunResult): string[] {
  return (result.stdout + result.stderr)
    .split('\n')
    .filter((line) => line.startsWith('strikes: the database'))
}

interface RunCount {
  name: string
  status: string
  tasks: bigint
}

async function runCounts(db: string): Promise<RunCount[]> {
  return query<RunCount>(
    db,
    `SELECT r.name, r.status, (SELECT count(*) FROM spans s WHERE s.run_id = r.run_id AND s.kind = 'task') AS tasks
     FROM runs r ORDER BY r.started_at`,
  )
}

describe('a worker killed mid-test, and a test that times out with tasks in flight', () => {
  let project: FixtureProject
  let result: RunResult

  beforeAll(async () => {
    project = fixtureProject('reliability-faults')
    result = await project.vitest(['--reporter=strikes', '--pool=forks'])
  })

  test('the session completes and every file is a run: killed → crashed, timed out → failed, healthy → passed', async () => {
    expect(result.code).not.toBe(0)
    const runs = await query<{ name: string; status: string }>(
      project.db,
      'SELECT name, status FROM runs ORDER BY name',
    )
    expect(runs).toEqual([
      { name: 'killed.eval.ts', status: 'crashed' },
      { name: 'survivor.eval.ts', status: 'passed' },
      { name: 'timeout.eval.ts', status: 'failed' },
    ])
    expect(spoolRunFolders(`${project.db}.spool`)).toEqual([])
  })

  test('a killed worker keeps every batch it flushed: all calls and the test span of the test before the kill, and calls of the test it died in', async () => {
    const [row] = await query<{ before: bigint; during: bigint; tests: bigint }>(
      project.db,
      `SELECT count(*) FILTER (WHERE s.kind = 'task' AND json_extract_string(o.value, '$') LIKE 'answer -%') AS before,
         count(*) FILTER (WHERE s.kind = 'task' AND json_extract_string(o.value, '$') NOT LIKE 'answer -%') AS during,
         count(*) FILTER (WHERE s.kind = 'test') AS tests
       FROM spans s JOIN runs r USING (run_id)
       LEFT JOIN task_io io ON io.span_id = s.span_id AND io.direction = 'output'
       LEFT JOIN objects o ON o.run_id = io.run_id AND o.hash = io.hash
       WHERE r.name = 'killed.eval.ts'`,
    )
    expect(count(row?.before)).toBe(BEFORE_THE_KILL)
    expect(count(row?.tests)).toBe(1)
    // The test it died in flushed some batches (how many depends on where the kill fell), never a torn record.
    expect(count(row?.during)).toBeGreaterThan(0)
  })

  test('what a killed worker flushed is consistent: every stored call has its input and output, every reference resolves', async () => {
    const [row] = await query<{ spans: bigint; without_io: bigint; dangling: bigint }>(
      project.db,
      `WITH run AS (SELECT run_id FROM runs WHERE name = 'killed.eval.ts')
       SELECT (SELECT count(*) FROM spans WHERE run_id = (SELECT run_id FROM run) AND kind = 'task') AS spans,
         (SELECT count(*) FROM spans s WHERE s.run_id = (SELECT run_id FROM run) AND s.kind = 'task'
            AND (SELECT count(DISTINCT io.direction) FROM task_io io WHERE io.span_id = s.span_id) < 2) AS without_io,
         (SELECT count(*) FROM task_io io WHERE io.run_id = (SELECT run_id FROM run)
            AND NOT EXISTS (SELECT 1 FROM objects o WHERE o.run_id = io.run_id AND o.hash = io.hash)) AS dangling`,
    )
    expect(count(row?.spans)).toBeGreaterThan(BEFORE_THE_KILL)
    expect(count(row?.without_io)).toBe(0)
    expect(count(row?.dangling)).toBe(0)
  })

  test('tasks in flight when their test times out end failed with TaskCancelledError and strikes.cancelled, not left open', async () => {
    const slow = await query<{
      status: string
      error: string
      cancelled: boolean
      duration_ms: number | null
    }>(
      project.db,
      `SELECT s.status, s.error, json_extract(s.attributes, '$."strikes.cancelled"')::BOOLEAN AS cancelled, s.duration_ms
       FROM spans s JOIN runs r USING (run_id) WHERE r.name = 'timeout.eval.ts' AND s.name = 'slow'`,
    )
    // Three were in flight; the three queued behind them never start: `map` stops at its first failure (the cancellation).
    expect(slow).toHaveLength(3)
    for (const span of slow) {
      expect(span).toMatchObject({
        status: 'error',
        error:
          'TaskCancelledError: task "slow" was still running when test "timeout.eval.ts > times out with tasks in flight" ended; it was cancelled',
        cancelled: true,
      })
      expect(span.duration_ms).not.toBeNull()
    }
  })

  test('tasks a batch starts after their test ended are cancelled without being called', async () => {
    const counted = await query<{ error: string; cancelled: boolean }>(
      project.db,
      `SELECT s.error, json_extract(s.attributes, '$."strikes.cancelled"')::BOOLEAN AS cancelled
       FROM spans s JOIN runs r USING (run_id) WHERE r.name = 'timeout.eval.ts' AND s.name = 'counted' ORDER BY s.error`,
    )
    expect(counted).toHaveLength(4)
    expect(counted.every((span) => span.cancelled)).toBe(true)
    expect(counted.map((span) => span.error)).toEqual([
      'TaskCancelledError: task "counted" started after its test ended; it was cancelled',
      'TaskCancelledError: task "counted" started after its test ended; it was cancelled',
      'TaskCancelledError: task "counted" was still running when test "timeout.eval.ts > times out while a tryMap still has items queued" ended; it was cancelled',
      'TaskCancelledError: task "counted" was still running when test "timeout.eval.ts > times out while a tryMap still has items queued" ended; it was cancelled',
    ])
    const [run] = await query<{ calls: number }>(
      project.db,
      `SELECT (params->>'counted_calls')::INTEGER AS calls FROM runs WHERE name = 'timeout.eval.ts'`,
    )
    expect(run?.calls).toBe(2)
  })

  test('the timed-out test is recorded as failed with Vitest’s message, and the next test of the file still records', async () => {
    const spans = await query<{ kind: string; name: string; status: string; error: string | null }>(
      project.db,
      `SELECT s.kind, s.name, s.status, s.error FROM spans s JOIN runs r USING (run_id)
       WHERE r.name = 'timeout.eval.ts' AND s.name NOT IN ('slow', 'counted') ORDER BY s.kind, s.name`,
    )
    expect(spans).toEqual([
      { kind: 'task', name: 'quick', status: 'ok', error: null },
      {
        kind: 'test',
        name: 'timeout.eval.ts > the next test of the file still records',
        status: 'ok',
        error: null,
      },
      {
        kind: 'test',
        name: 'timeout.eval.ts > times out while a tryMap still has items queued',
        status: 'error',
        error: expect.stringContaining('Test timed out in 300ms'),
      },
      {
        kind: 'test',
        name: 'timeout.eval.ts > times out with tasks in flight',
        status: 'error',
        error: expect.stringContaining('Test timed out in 300ms'),
      },
      {
        kind: 'test',
        name: 'timeout.eval.ts > waits for that batch to drain, then records how often the function ran',
        status: 'ok',
        error: null,
      },
    ])
  })

  test('every recorded span is closed: a status and a duration each', async () => {
    const [row] = await query<{ open: bigint }>(
      project.db,
      `SELECT count(*) AS open FROM spans WHERE status NOT IN ('ok', 'error') OR duration_ms IS NULL`,
    )
    expect(count(row?.open)).toBe(0)
  })
})

describe.concurrent('faults of the store', () => {
  test('Ctrl-C (SIGINT) of vitest during ingest loses nothing: the spool is kept and the next session ingests it', {
    timeout: 400_000,
  }, async () => {
    const project = fixtureProject('reliability-store')
    const spool = `${project.db}.spool`
    // 300,000 metric points (and as many run-level points) take the reporter a while to ingest — and the
    // worker a while to log on a loaded machine (in a full run it took over a minute): wait long enough.
    const first = startVitest(
      project,
      { STORE_TASKS: '1', STORE_POINTS: '300000', STORE_REPORT: 'false' },
      300_000,
    )
    await waitFor('the reporter opens the database to ingest', () => existsSync(project.db), 240_000)
    first.child.kill('SIGINT')
    const interrupted = await first.result
    // The fixture's test has a long timeout: a test timed out on a loaded machine made Vitest exit 1 before
    // the signal (it keeps an exit code already set), which is what made this flaky.
    expect(interrupted.code, interrupted.stdout + interrupted.stderr).toBe(130)
    expect(interrupted.stdout).not.toContain('Test timed out')
    // Interrupted before the commit: the run is still whole in the spool.
    expect(spoolRunFolders(spool)).toHaveLength(1)

    const second = await project.vitest(['--reporter=strikes'], {
      env: { STORE_TASKS: '3', STORE_POINTS: '2', STORE_REPORT: 'false' },
    })
    expect(second.code, second.stdout + second.stderr).toBe(0)
    const rows = await query<{ status: string; run_status: string; metrics: bigint; run_metrics: bigint }>(
      project.db,
      `SELECT s.status, r.status AS run_status,
         (SELECT count(*) FROM metrics m WHERE m.run_id = r.run_id) AS metrics,
         (SELECT count(*) FROM run_metrics m WHERE m.run_id = r.run_id) AS run_metrics
       FROM sessions s JOIN runs r USING (session_id) ORDER BY s.started_at`,
    )
    expect(rows).toEqual([
      { status: 'interrupted', run_status: 'passed', metrics: 300_000n, run_metrics: 300_000n },
      { status: 'passed', run_status: 'passed', metrics: 6n, run_metrics: 6n },
    ])
    expect(spoolRunFolders(spool)).toEqual([])
  })

  test('a database locked by another process: the reporter waits with backoff and lands once the lock is released', async () => {
    const project = fixtureProject('reliability-store')
    const lock = await holdDatabase(project)
    let result: RunResult
    try {
      const run = startVitest(project, { STORE_REPORT: 'false' })
      await waitFor('the run ends while the database is locked', () => someRunEnded(`${project.db}.spool`))
      // The reporter is now retrying; keep it waiting a little longer.
      await sleep(1500)
      lock.release()
      result = await run.result
    } finally {
      lock.release()
    }
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(databaseErrors(result)).toEqual([])
    expect(await runCounts(project.db)).toEqual([{ name: 'record.eval.ts', status: 'passed', tasks: 20n }])
  })

  test('with a short lockTimeoutMs the reporter gives up with one error naming the process holding the lock and where the data is kept; the next session ingests it and gates it', async () => {
    const project = fixtureProject('reliability-store')
    const spool = `${project.db}.spool`
    const lock = await holdDatabase(project)
    let locked: RunResult
    try {
      locked = await project.vitest(['--reporter=strikes'], {
        env: { STORE_REPORT: 'false', STORE_LOCK_TIMEOUT_MS: '300', STORE_GATE: 'avg >= 0' },
      })
    } finally {
      lock.release()
    }
    expect(locked.code).toBe(1)
    const errors = databaseErrors(locked)
    expect(errors).toHaveLength(1)
    const [session] = readdirSync(spool)
    expect(errors[0]).toContain(
      `strikes: the database ${project.db} stayed locked by another process for 300 ms`,
    )
    // DuckDB's reason names the process holding the lock: this test process.
    expect(errors[0]).toMatch(new RegExp(`Conflicting lock is held in .* \\(PID ${process.pid}\\)`))
    expect(errors[0]).toContain(`the runs' records are kept in ${join(spool, session ?? '')}`)
    expect(spoolRunFolders(spool)).toHaveLength(1)

    const next = await project.vitest(['--reporter=strikes'], { env: { STORE_REPORT: 'false' } })
    expect(next.code, next.stdout + next.stderr).toBe(0)
    expect(await runCounts(project.db)).toEqual([
      { name: 'record.eval.ts', status: 'passed', tasks: 20n },
      { name: 'record.eval.ts', status: 'passed', tasks: 20n },
    ])
    // The locked-out session keeps how it ended (Vitest said passed) and its gates are evaluated now.
    const sessions = await query<{ session_id: string; status: string; gate_passed: boolean | null }>(
      project.db,
      'SELECT session_id, status, gate_passed FROM sessions ORDER BY seq',
    )
    expect(sessions.map(({ status, gate_passed }) => ({ status, gate_passed }))).toEqual([
      { status: 'passed', gate_passed: true },
      { status: 'passed', gate_passed: null },
    ])
    expect(sessions[0]?.session_id).toBe(session)
    const gates = await query<{ session_id: string; key: string; verdict: string }>(
      project.db,
      'SELECT session_id, key, verdict FROM gates',
    )
    expect(gates).toEqual([{ session_id: session, key: 'answer.quality', verdict: 'pass' }])
    expect(next.stdout + next.stderr).toContain(
      `strikes: the gates of session ${session}, whose runs were ingested now, passed`,
    )
    expect(spoolRunFolders(spool)).toEqual([])
  })

  test('a database of an older schema version is migrated in place: its rows kept, every later migration applied, the session lands', async () => {
    const project = fixtureProject('reliability-store')
    const [first, ...later] = MIGRATIONS
    if (first === undefined) throw new Error('no migrations')
    mkdirSync(dirname(project.db), { recursive: true })
    const instance = await DuckDBInstance.create(project.db)
    const connection = await instance.connect()
    await connection.run(
      'CREATE TABLE strikes_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)',
    )
    for (const statement of first.statements) await connection.run(statement)
    await connection.run(`INSERT INTO strikes_schema VALUES (1, 'v1', current_timestamp::TIMESTAMP)`)
    await connection.run(`INSERT INTO sessions (session_id, status) VALUES ('old-session', 'passed')`)
    await connection.run(
      `INSERT INTO runs (run_id, session_id, name, status) VALUES ('old-run', 'old-session', 'old.eval.ts', 'passed')`,
    )
    connection.closeSync()
    instance.closeSync()

    const result = await project.vitest(['--reporter=strikes'], { env: { STORE_REPORT: 'false' } })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const versions = await query<{ version: number }>(
      project.db,
      'SELECT version FROM strikes_schema ORDER BY version',
    )
    expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version))
    const created = later.flatMap((migration) =>
      migration.statements.flatMap((statement) =>
        [...statement.matchAll(/CREATE (?:TABLE|VIEW) (\w+)/g)].map((match) => match[1]),
      ),
    )
    const tables = await query<{ table_name: string }>(
      project.db,
      'SELECT table_name FROM information_schema.tables',
    )
    for (const table of created) expect(tables.map((row) => row.table_name)).toContain(table)
    const runs = await query<{ name: string; session_id: string }>(
      project.db,
      'SELECT name, session_id FROM runs ORDER BY name',
    )
    expect(runs.map((row) => row.name)).toEqual(['old.eval.ts', 'record.eval.ts'])
    expect(
      await query(project.db, `SELECT session_id FROM sessions WHERE session_id = 'old-session'`),
    ).toHaveLength(1)
  })

  test('an unwritable report path: every result is still recorded, and one error names the path', async () => {
    const project = fixtureProject('reliability-store')
    // A plain file where the report's folder should be: no folder can be made there, even as root.
    writeFileSync(join(project.dir, 'blocker'), 'a file, not a folder\n')
    const result = await project.vitest(['--reporter=strikes'], {
      env: { STORE_REPORT: 'blocker/report.html' },
    })
    expect(result.code).toBe(1)
    const output = result.stdout + result.stderr
    const errors = output.split('\n').filter((line) => line.startsWith('strikes: cannot write the report'))
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(
      `strikes: cannot write the report to ${join(project.dir, 'blocker/report.html')}`,
    )
    expect(errors[0]).toContain('every result is still recorded in the database')
    expect(await runCounts(project.db)).toEqual([{ name: 'record.eval.ts', status: 'passed', tasks: 20n }])
    expect(output).toContain('strikes 1 run recorded')
  })
})

/** True when this process may mount a tmpfs (root in a container that allows it); the disk-full case needs it. */
function canMountTmpfs(): boolean {
  const probe = mkdtempSync(join(tmpdir(), 'strikes-mount-probe-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' })
    execFileSync('umount', [probe], { stdio: 'ignore' })
    return true
  } catch {
    return false
  } finally {
    rmSync(probe, { recursive: true, force: true })
  }
}

describe('the disk fills up while a worker spools', () => {
  test.skipIf(!canMountTmpfs())(
    'on a 1 MiB tmpfs: the spool writer says the device is full and where the data is, and what it flushed is ingested',
    async () => {
      const project = fixtureProject('reliability-store')
      const device = mkdtempSync(join(tmpdir(), 'strikes-full-'))
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', device])
      try {
        mkdirSync(dirname(project.db), { recursive: true })
        // Only the spool is on the small device; the database is on the ordinary disk.
        symlinkSync(device, `${project.db}.spool`)
        // 200 outputs of 20 kB each: about 4 MB of records for a 1 MiB device.
        const result = await project.vitest(['--reporter=strikes'], {
          env: { STORE_TASKS: '200', STORE_VALUE_BYTES: '20000', STORE_REPORT: 'false' },
        })
        expect(result.code).toBe(1)
        const output = result.stdout + result.stderr
        expect(output).toMatch(
          /strikes: could not write to the spool file \S+ \(no space left on the device\); records written before this are kept in \S+ and will be ingested/,
        )
        expect(output).toMatch(/\d+ records of run "record\.eval\.ts" could not be written/)
        const [run] = await query<{ status: string }>(project.db, 'SELECT status FROM runs')
        expect(run?.status).toBe('failed')
        const [kept] = await query<{ io: bigint; dangling: bigint; spans_without_output: bigint }>(
          project.db,
          `SELECT (SELECT count(*) FROM task_io) AS io,
             (SELECT count(*) FROM task_io io WHERE NOT EXISTS (
               SELECT 1 FROM objects o WHERE o.run_id = io.run_id AND o.hash = io.hash)) AS dangling,
             (SELECT count(*) FROM spans s WHERE s.kind = 'task' AND NOT EXISTS (
               SELECT 1 FROM task_io io WHERE io.span_id = s.span_id AND io.direction = 'output')) AS spans_without_output`,
        )
        // What was written before the device filled is stored (fewer than all 200 outputs), and it is whole.
        expect(count(kept?.io)).toBeGreaterThan(0)
        expect(count(kept?.io)).toBeLessThan(400)
        expect(count(kept?.dangling)).toBe(0)
        expect(count(kept?.spans_without_output)).toBe(0)
        // Ingested, the spool is removed and the device is free again.
        expect(readdirSync(device)).toEqual([])
      } finally {
        execFileSync('umount', [device])
        rmSync(device, { recursive: true, force: true })
      }
    },
  )
})
