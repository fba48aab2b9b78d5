/**
 * A process group signalled while tests run — what a CI cancel (SIGTERM) or Ctrl-C (SIGINT) does — and a
 * `withRun` script that calls `process.exit()`: every task that completed is kept (the workers flush their
 * spools as the signal arrives), and the next session, `vitest` or `withRun`, ingests it. The fixture's
 * tasks write a ledger line as the last thing they do, so "completed" is counted, not guessed.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixtureProject, query, REPO_ROOT, runNode, VITEST_BIN } from '../helpers/fixture-project.js'
import { spoolRunFolders, waitFor } from './vitest-process.js'

/** Lines of every ledger in `dir`: one per completed task. */
function ledgerLines(dir: string): number {
  if (!existsSync(dir)) return 0
  let lines = 0
  for (const name of readdirSync(dir)) {
    const text = readFileSync(join(dir, name), 'utf8')
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1
  }
  return lines
}

async function storedWorkTasks(db: string): Promise<number> {
  const [row] = await query<{ n: bigint }>(
    db,
    `SELECT count(*) AS n FROM spans WHERE kind = 'task' AND name = 'work' AND status = 'ok'`,
  )
  return Number(row?.n ?? 0)
}

describe.each(['SIGTERM', 'SIGINT'] as const)('%s to the whole process group while tests run', (signal) => {
  test('every task that completed before the signal is stored once the next session ingests what the workers flushed', async () => {
    const project = fixtureProject('reliability-signals')
    const ledger = join(project.dir, 'ledger')
    mkdirSync(ledger)
    // A process group of its own (as a CI job's), so the signal reaches vitest and every worker.
    // Two workers, one file each, both busy when the signal comes.
    const args = [VITEST_BIN, 'run', '--root', project.dir, '--reporter=strikes', '--maxWorkers=2']
    const child = spawn(process.execPath, args, {
      cwd: project.dir,
      env: { ...process.env, NO_COLOR: '1', CI: '1', SIGNALS_LEDGER: ledger },
      stdio: 'ignore',
      detached: true,
    })
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('close', (code, closeSignal) => resolve({ code, signal: closeSignal })),
    )
    await waitFor(
      'both files completed a few thousand tasks',
      () => ledgerLines(ledger) >= 3_000 && readdirSync(ledger).length === 2,
      120_000,
    )
    process.kill(-(child.pid as number), signal)
    const interrupted = await exited
    expect(interrupted.code === null ? interrupted.signal : interrupted.code).not.toBe(0)
    const completed = ledgerLines(ledger)
    // Nothing was ingested by the interrupted session (its ingest runs when the session ends); all of it waits in the spool.
    expect(spoolRunFolders(`${project.db}.spool`).length).toBeGreaterThanOrEqual(2)

    const next = await project.vitest(['--reporter=strikes'], { env: { SIGNALS_TASKS: '0' } })
    expect(next.code, next.stdout + next.stderr).toBe(0)
    expect(await storedWorkTasks(project.db)).toBe(completed)
    const runs = await query<{ status: string; n: bigint }>(
      project.db,
      `SELECT r.status, count(*) AS n FROM runs r JOIN sessions s USING (session_id)
       WHERE s.status = 'interrupted' GROUP BY r.status`,
    )
    expect(runs).toEqual([{ status: 'crashed', n: 2n }])
    expect(spoolRunFolders(`${project.db}.spool`)).toEqual([])
  })
})

describe('withRun and process.exit', () => {
  /** A script recording `tasks` tasks with withRun into `db`, then calling process.exit(0) inside the run. */
  function exitingScript(dir: string, db: string, tasks: number): string {
    const file = join(dir, `exit-${tasks}.mjs`)
    writeFileSync(
      file,
      `import { evalTask, withRun } from ${JSON.stringify(join(REPO_ROOT, 'dist/src/index.js'))}
       const work = evalTask(async function work(n) { return 'answer ' + n })
       await withRun({ name: 'exits', project: 'signals', db: ${JSON.stringify(db)} }, async () => {
         await work.map(Array.from({ length: ${tasks} }, (_, n) => n))
         process.exit(0)
       })`,
    )
    return file
  }

  test('withRun followed by process.exit(0) keeps every completed task, and a later withRun script ingests it', async () => {
    const project = fixtureProject(undefined)
    const db = join(project.dir, 'strikes.duckdb')
    const exited = await runNode([exitingScript(project.dir, db, 500)], project.dir)
    expect(exited.code, exited.stderr).toBe(0)
    expect(existsSync(db)).toBe(false)
    const later = join(project.dir, 'later.mjs')
    writeFileSync(
      later,
      `import { withRun } from ${JSON.stringify(join(REPO_ROOT, 'dist/src/index.js'))}
       await withRun({ name: 'later', project: 'signals', db: ${JSON.stringify(db)} }, async () => {})`,
    )
    const next = await runNode([later], project.dir)
    expect(next.code, next.stderr).toBe(0)
    expect(await storedWorkTasks(db)).toBe(500)
    const sessions = await query<{ name: string; run_status: string; session_status: string }>(
      db,
      `SELECT r.name, r.status AS run_status, s.status AS session_status
       FROM runs r JOIN sessions s USING (session_id) ORDER BY s.seq`,
    )
    expect(sessions).toEqual([
      { name: 'exits', run_status: 'crashed', session_status: 'interrupted' },
      { name: 'later', run_status: 'passed', session_status: 'passed' },
    ])
    expect(spoolRunFolders(`${db}.spool`)).toEqual([])
  })

  test('SIGTERM to a withRun script ends it as the signal would, after its spool is flushed', async () => {
    const project = fixtureProject(undefined)
    const db = join(project.dir, 'strikes.duckdb')
    const ledger = join(project.dir, 'ledger.txt')
    const script = join(project.dir, 'forever.mjs')
    writeFileSync(
      script,
      `import { appendFileSync } from 'node:fs'
       import { evalTask, withRun } from ${JSON.stringify(join(REPO_ROOT, 'dist/src/index.js'))}
       const work = evalTask(async function work(n) {
         await new Promise((resolve) => setImmediate(resolve))
         appendFileSync(${JSON.stringify(ledger)}, n + '\\n')
         return 'answer ' + n
       })
       await withRun({ name: 'forever', project: 'signals', db: ${JSON.stringify(db)} }, async () => {
         await work.map(Array.from({ length: 10_000_000 }, (_, n) => n), { concurrency: 4 })
       })`,
    )
    const child = spawn(process.execPath, [script], { cwd: project.dir, stdio: 'ignore' })
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_code, signal) => resolve(signal)),
    )
    await waitFor(
      'a thousand tasks completed',
      () => existsSync(ledger) && readFileSync(ledger, 'utf8').split('\n').length > 1_000,
    )
    child.kill('SIGTERM')
    expect(await exited).toBe('SIGTERM')
    const completed = readFileSync(ledger, 'utf8').split('\n').length - 1
    const later = join(project.dir, 'later.mjs')
    writeFileSync(
      later,
      `import { withRun } from ${JSON.stringify(join(REPO_ROOT, 'dist/src/index.js'))}
       await withRun({ name: 'later', project: 'signals', db: ${JSON.stringify(db)} }, async () => {})`,
    )
    expect((await runNode([later], project.dir)).code).toBe(0)
    expect(await storedWorkTasks(db)).toBe(completed)
  })
})
