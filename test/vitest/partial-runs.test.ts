/**
 * Gates judge what ran. On a partial session — a file filter, `-t`, `--changed`, `vitest related`,
 * `--typecheck.only`, `--shard`, a watch-mode rerun — a threshold whose key belongs to a file that did not
 * run is `not run`: shown, stored, neutral for the exit code (unless `strict`). Which file a key belongs to
 * is known from the earlier, full session each test starts with. A full session behaves as before: a key
 * no run recorded fails as `no data`.
 */
import { execFileSync, spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'vitest'
import { evaluateStoredSessionGates } from '../../reporter/gate/session-gates.js'
import { openDatabase } from '../../reporter/store/database.js'
import { VITEST_BIN } from '../helpers/fixture-project.js'
import { copyProject, type InstalledProject, installedProject, query } from './installed-project.js'

const THRESHOLDS = {
  'alpha.score': 'avg >= 1',
  'beta.score': 'avg >= 1',
  'gamma.score': 'avg >= 1',
  alpha_second: 'count >= 1',
}
const ENV = { FIDELITY_THRESHOLDS: JSON.stringify(THRESHOLDS) }

interface GateRow {
  key: string
  run: string | null
  verdict: string
  passed: boolean
}

let template: Promise<InstalledProject> | undefined

/**
 * A fixture project whose first, full session recorded every key: one such session is recorded per test
 * file, and each test gets its own copy of the project and its database.
 */
async function seeded(): Promise<InstalledProject> {
  template ??= (async () => {
    const project = installedProject('fidelity')
    const full = await project.vitest([], { env: ENV })
    if (full.code !== 0) throw new Error(`the seeding session failed:\n${full.stdout}${full.stderr}`)
    return project
  })()
  return copyProject(await template)
}

/** The gate rows and the selection facts of the latest session. */
async function latest(project: InstalledProject): Promise<{
  gates: GateRow[]
  session: { partial: boolean; reasons: string[]; shard: unknown }
  sessions: number
}> {
  const [session] = await query<{ session_id: string; partial: boolean; selection: string; n: bigint }>(
    project.db,
    `SELECT session_id, partial, selection::VARCHAR AS selection, (SELECT count(*) FROM sessions) AS n
     FROM sessions ORDER BY started_at DESC LIMIT 1`,
  )
  if (session === undefined) throw new Error('no session')
  const gates = await query<GateRow>(
    project.db,
    `SELECT g.key, r.name AS run, g.verdict, g.passed FROM gates g LEFT JOIN runs r USING (run_id)
     WHERE g.session_id = '${session.session_id}' ORDER BY g.seq`,
  )
  const selection = JSON.parse(session.selection) as { reasons: string[]; shard: unknown }
  return {
    gates,
    session: { partial: session.partial, reasons: selection.reasons, shard: selection.shard },
    sessions: Number(session.n),
  }
}

const notRun = (key: string): GateRow => ({ key, run: null, verdict: 'not run', passed: true })
const pass = (key: string, file: string): GateRow => ({
  key,
  run: `evals/${file}.eval.ts`,
  verdict: 'pass',
  passed: true,
})

describe.concurrent('partial sessions', { timeout: 240_000 }, () => {
  test('a file filter: the other files’ keys are not run, exit 0, the session is stored as partial', async ({
    expect,
  }) => {
    const project = await seeded()
    const result = await project.vitest(['evals/alpha'], { env: ENV })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).toContain('1 run recorded · partial run (file filter)')
    expect(result.stdout).toMatch(/gates {2}2 passed · 0 failed · 2 not run/)
    const { gates, session } = await latest(project)
    expect(gates).toEqual([
      pass('alpha.score', 'alpha'),
      notRun('beta.score'),
      notRun('gamma.score'),
      pass('alpha_second', 'alpha'),
    ])
    expect(session).toMatchObject({ partial: true, reasons: ['file filter'] })
    const files = await query<{ name: string; selected: boolean }>(
      project.db,
      `SELECT name, selected FROM session_files
       WHERE session_id = (SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1) ORDER BY name`,
    )
    expect(files).toEqual([
      { name: 'evals/alpha.eval.ts', selected: true },
      { name: 'evals/beta.eval.ts', selected: false },
      { name: 'evals/gamma.eval.ts', selected: false },
    ])
    // The thresholds are stored with the session: its gates evaluate again without Vitest, alike.
    const database = await openDatabase(project.db)
    try {
      const [row] = await database.query<{ session_id: string }>(
        'SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1',
      )
      const again = await evaluateStoredSessionGates(database, row?.session_id ?? '')
      expect(again.passed).toBe(true)
      expect(again.results.map((result) => [result.key, result.runName ?? null, result.verdict])).toEqual(
        gates.map((gate) => [gate.key, gate.run, gate.verdict]),
      )
    } finally {
      database.close()
    }
  })

  test('strict: true makes a gate that did not run fail', async ({ expect }) => {
    const project = await seeded()
    const result = await project.vitest(['evals/alpha'], { env: { ...ENV, FIDELITY_STRICT: '1' } })
    expect(result.code).toBe(1)
    const { gates } = await latest(project)
    expect(gates.filter((gate) => gate.verdict === 'not run').map((gate) => gate.passed)).toEqual([
      false,
      false,
    ])
  })

  test('-t: a key whose tests the name filter left out is not run; the others are judged', async ({
    expect,
  }) => {
    const project = await seeded()
    const result = await project.vitest(['-t', 'first'], { env: ENV })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const { gates, session } = await latest(project)
    expect(gates).toEqual([
      pass('alpha.score', 'alpha'),
      pass('beta.score', 'beta'),
      pass('gamma.score', 'gamma'),
      notRun('alpha_second'),
    ])
    expect(session).toMatchObject({ partial: true, reasons: ['-t "first"'] })
  })

  test('-t matching no test: every run is skipped and every gate is not run', async ({ expect }) => {
    const project = await seeded()
    const result = await project.vitest(['-t', 'no test is called this'], { env: ENV })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const { gates } = await latest(project)
    expect(gates.map((gate) => [gate.run, gate.verdict])).toEqual([
      ['evals/alpha.eval.ts', 'not run'],
      ['evals/beta.eval.ts', 'not run'],
      ['evals/gamma.eval.ts', 'not run'],
      ['evals/alpha.eval.ts', 'not run'],
    ])
    const statuses = await query<{ status: string }>(
      project.db,
      `SELECT DISTINCT status FROM runs WHERE session_id = (SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1)`,
    )
    expect(statuses).toEqual([{ status: 'skipped' }])
  })

  test('--changed: only the changed eval file runs; the others are not run', async ({ expect }) => {
    const project = await seeded()
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], {
        cwd: project.dir,
        stdio: 'pipe',
      })
    git('init', '-q')
    git('add', '-A')
    git('commit', '-qm', 'fixture')
    appendFileSync(join(project.dir, 'evals/beta.eval.ts'), '\n// changed\n')
    const result = await project.vitest(['--changed'], { env: ENV })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const { gates, session } = await latest(project)
    expect(gates).toEqual([
      notRun('alpha.score'),
      pass('beta.score', 'beta'),
      notRun('gamma.score'),
      notRun('alpha_second'),
    ])
    expect(session.reasons).toEqual(['--changed'])
  })

  test('vitest related: only the eval files that import the module run', async ({ expect }) => {
    const project = await seeded()
    const result = await project.vitestRaw(['related', '--run', '--root', project.dir, 'src/math.ts'], {
      env: ENV,
    })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const { gates, session } = await latest(project)
    expect(gates).toEqual([
      notRun('alpha.score'),
      pass('beta.score', 'beta'),
      notRun('gamma.score'),
      notRun('alpha_second'),
    ])
    expect(session.reasons).toEqual(['vitest related'])
  })

  test('--typecheck.only: no eval file runs, so no session is recorded and nothing is gated', async ({
    expect,
  }) => {
    const project = await seeded()
    const result = await project.vitest(['--typecheck.only'], { env: ENV })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout).not.toContain('no data')
    expect((await latest(project)).sessions).toBe(1)
  })

  test('--shard: the shard’s own gates decide; keys of other shards are not run; the shard is stored', async ({
    expect,
  }) => {
    const project = await seeded()
    const result = await project.vitest(['--shard=1/3'], { env: ENV })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const { gates, session } = await latest(project)
    const ran = (
      await query<{ name: string }>(
        project.db,
        `SELECT name FROM runs WHERE session_id = (SELECT session_id FROM sessions ORDER BY started_at DESC LIMIT 1)`,
      )
    ).map((row) => row.name)
    expect(ran.length).toBeLessThan(3)
    const expected = (key: string, file: string): GateRow =>
      ran.includes(`evals/${file}.eval.ts`) ? pass(key, file) : notRun(key)
    expect(gates).toEqual([
      expected('alpha.score', 'alpha'),
      expected('beta.score', 'beta'),
      expected('gamma.score', 'gamma'),
      expected('alpha_second', 'alpha'),
    ])
    expect(session).toMatchObject({ partial: true, reasons: ['--shard=1/3'], shard: { index: 1, count: 3 } })
  })

  test('a key no session ever recorded: not run on a partial session, no data (a failure) on a full one', async ({
    expect,
  }) => {
    const project = await seeded()
    const env = { FIDELITY_THRESHOLDS: JSON.stringify({ ...THRESHOLDS, 'alpha.scroe': 'avg >= 1' }) }
    const partial = await project.vitest(['evals/alpha'], { env })
    expect(partial.code, partial.stdout + partial.stderr).toBe(0)
    expect((await latest(project)).gates.at(-1)).toEqual(notRun('alpha.scroe'))
    const full = await project.vitest([], { env })
    expect(full.code).toBe(1)
    const last = (await latest(project)).gates.at(-1)
    expect(last).toEqual({ key: 'alpha.scroe', run: null, verdict: 'no data', passed: false })
    expect(full.stdout).toContain('did you mean "alpha.score"?')
  })

  test('a watch-mode rerun of one file gates only that file and does not fail', async ({ expect }) => {
    const project = await seeded()
    const output = await watchRerun(project)
    expect(output).toContain('1 run recorded · partial run (watch-mode rerun)')
    expect(output).not.toMatch(/✗ {2}\S+ +avg/)
    const { gates, session } = await latest(project)
    expect(session).toMatchObject({ partial: true, reasons: ['watch-mode rerun'] })
    expect(gates).toEqual([
      notRun('alpha.score'),
      notRun('beta.score'),
      pass('gamma.score', 'gamma'),
      notRun('alpha_second'),
    ])
  })
})

/**
 * Starts `vitest` in watch mode, waits for its first session, edits `evals/gamma.eval.ts` so Vitest reruns
 * that file alone, waits for the second session, and stops it; returns everything it printed.
 */
function watchRerun(project: InstalledProject): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...ENV, NO_COLOR: '1' }
    delete env.FORCE_COLOR
    delete env.CI
    const child = spawn(process.execPath, [VITEST_BIN, '--watch', '--root', project.dir], {
      cwd: project.dir,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let output = ''
    let edited = false
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`watch mode did not rerun in time:\n${output}`))
    }, 90_000)
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const sessions = output.split(' recorded').length - 1
      if (sessions >= 1 && !edited && output.includes('Waiting for file changes')) {
        edited = true
        appendFileSync(join(project.dir, 'evals/gamma.eval.ts'), '\n// edited\n')
      }
      if (sessions >= 2 && output.lastIndexOf(' gates ') > output.lastIndexOf(' recorded')) {
        // The gate table is printed once the session is stored; let its lines arrive, then stop.
        clearTimeout(timer)
        setTimeout(() => child.kill('SIGTERM'), 500)
      }
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.on('error', reject)
    child.on('close', () => {
      clearTimeout(timer)
      resolve(output)
    })
  })
}
