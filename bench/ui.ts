/**
 * Benchmark 6: `strikes ui` over a synthetic session of N task calls (default 1,000,000; with a previous
 * session of the same size for Compare), written with SQL laid out as the reporter writes (each run's rows
 * together). The server is the built CLI in its own process; times are measured by an HTTP client on the same
 * machine, request sent to last byte read, so they include everything the server does:
 * - first page: the task table of the session, right after the server started (nothing computed yet);
 * - filters and sorts: distinct filters and sort orders, each asked once (so its count is computed too);
 * - a task page: distinct task calls, each with a nested task and a model call;
 * plus the sessions page, the session page, search, the previews of a page, Compare and Top candidates.
 * The database is kept in `bench/.tmp/` and reused while the generator is unchanged.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../reporter/store/database.js'
import { writeSyntheticUiSessions } from '../test/ui/synthetic-ui-session.js'
import { type Spread, spread } from './stats.js'
import { REPO } from './workspace.js'

/** Bump when the synthetic session or the schema changes, so a kept database is written again. */
const GENERATOR_VERSION = 2

/** Wall time and the server's CPU time of the requests of one kind (milliseconds). */
export interface Timed {
  readonly wall: Spread
  /** CPU time of the server process (all its threads) while answering: what the request costs, whatever else runs. */
  readonly cpu: Spread
}

/** What the UI benchmark measured (milliseconds, medians over the requests of each kind). */
export interface UiBenchmark {
  readonly tasks: number
  readonly generateMs: number | undefined
  readonly firstPage: Timed
  readonly sessionsPage: Timed
  readonly sessionPage: Timed
  readonly filters: Timed
  readonly sorts: Timed
  readonly nextPage: Timed
  readonly taskPage: Timed
  readonly previews: Timed
  readonly search: Timed
  readonly compare: Timed
  readonly candidates: Timed
  /** Every request measured, for the record. */
  readonly requests: readonly {
    readonly path: string
    readonly ms: number
    readonly cpuMs: number
    readonly status: number
  }[]
  /** Peak resident memory of the server process (MB). */
  readonly serverPeakMb: number
  /** The machine's load average (1 minute) when the measurements started and ended. */
  readonly loadAverage: readonly [number, number]
}

/** The database of `tasks` tasks per session, written unless kept from an earlier run. */
async function database(tasks: number): Promise<{ path: string; generateMs: number | undefined }> {
  const dir = join(REPO, 'bench/.tmp')
  mkdirSync(dir, { recursive: true })
  const path = join(dir, `ui-${tasks}.duckdb`)
  const marker = `${path}.json`
  const expected = JSON.stringify({ version: GENERATOR_VERSION, tasks })
  if (existsSync(path) && existsSync(marker) && readFileSync(marker, 'utf8') === expected) {
    return { path, generateMs: undefined }
  }
  rmSync(path, { force: true })
  rmSync(`${path}.wal`, { force: true })
  const started = performance.now()
  await writeSyntheticUiSessions(path, [
    { id: 'bench-baseline', tasks, startedAt: new Date('2026-01-01T00:00:00Z') },
    { id: 'bench-candidate', tasks, startedAt: new Date('2026-01-02T00:00:00Z'), qualityShift: -0.05 },
  ])
  writeFileSync(marker, expected)
  return { path, generateMs: performance.now() - started }
}

interface Server {
  readonly origin: string
  readonly child: ChildProcess
  stop(): Promise<number>
}

function startServer(db: string): Promise<Server> {
  const child = spawn(
    process.execPath,
    [join(REPO, 'dist/reporter/cli/main.js'), 'ui', '--db', db, '--port', '0'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let output = ''
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /strikes ui: (http:\/\/\S+)/.exec(output)
      if (match?.[1] === undefined) return
      resolve({
        origin: new URL(match[1]).origin,
        child,
        stop: () =>
          new Promise((done) => {
            const peak = peakMb(child.pid)
            child.once('exit', () => done(peak))
            child.kill('SIGTERM')
          }),
      })
    })
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => reject(new Error(`strikes ui exited (${code}):\n${output}`)))
  })
}

/**
 * CPU time (user + system) used so far by process `pid`, in milliseconds, from /proc/<pid>/stat: it
 * includes threads that have ended (DuckDB's threads end whenever the UI lets go of the file), which a sum
 * over the live threads would lose. Resolution: one clock tick (10 ms).
 */
function cpuMs(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) in parentheses; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS
  } catch {
    return 0
  }
}

/** Clock ticks per second of /proc times (`getconf CLK_TCK`; 100 on Linux). */
const CLOCK_TICKS = 100

function peakMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    return Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0) / 1024
  } catch {
    return 0
  }
}

interface Sample {
  readonly wall: number
  readonly cpu: number
}

function timed(samples: readonly Sample[]): Timed {
  return {
    wall: spread(samples.map((sample) => sample.wall)),
    cpu: spread(samples.map((sample) => sample.cpu)),
  }
}

/** Runs the benchmark over `tasks` tasks per session; `coldStarts` fresh servers for the first page. */
export async function uiBenchmark(
  tasks: number,
  coldStarts: number,
  log: (line: string) => void,
): Promise<UiBenchmark> {
  const { path, generateMs } = await database(tasks)
  if (generateMs !== undefined) log(`ui: wrote 2 × ${tasks} tasks in ${(generateMs / 1000).toFixed(0)} s`)
  const requests: { path: string; ms: number; cpuMs: number; status: number }[] = []
  const loadBefore = loadavg()[0] ?? 0
  const time = async (server: Server, target: string): Promise<{ wall: number; cpu: number }> => {
    const cpuBefore = cpuMs(server.child.pid)
    const started = performance.now()
    const response = await fetch(`${server.origin}${target}`, { redirect: 'manual' })
    await response.text()
    const ms = performance.now() - started
    const cpu = cpuMs(server.child.pid) - cpuBefore
    if (response.status >= 400) {
      server.child.kill('SIGTERM') // a failed benchmark leaves no server running
      throw new Error(`ui benchmark: ${target} answered ${response.status}`)
    }
    requests.push({ path: target, ms, cpuMs: cpu, status: response.status })
    return { wall: ms, cpu }
  }
  const session = 'bench-candidate'
  const tasksOf = (query: string) => `/session/${session}/tasks${query}`

  const firstPage: Sample[] = []
  const sessionsCold: Sample[] = []
  for (let start = 0; start < coldStarts; start++) {
    const server = await startServer(path)
    firstPage.push(await time(server, tasksOf('')))
    sessionsCold.push(await time(server, '/'))
    await server.stop()
  }

  const server = await startServer(path)
  const { origin } = server
  const sessionsPage = [...sessionsCold, await time(server, '/'), await time(server, '/')]
  const sessionPage = [await time(server, `/session/${session}`), await time(server, `/session/${session}`)]
  await time(server, tasksOf(''))
  const filters: Sample[] = []
  for (const query of [
    '?label=classify',
    '?status=error',
    '?label=extract&status=ok',
    '?tag=slow',
    '?metric=quality&min=0.2&max=0.3',
    '?metric=tokens&min=100&max=120',
    '?kind=span',
    `?run=${session}-run-2`,
    '?label=summarize&metric=quality&min=0.9',
  ]) {
    filters.push(await time(server, tasksOf(query)))
  }
  const sorts: Sample[] = []
  for (const query of [
    '?sort=duration',
    '?sort=metric%3Aquality',
    '?sort=metric%3Atokens&dir=asc',
    '?sort=name',
    '?sort=label&dir=desc',
    '?sort=started&dir=desc',
    '?label=classify&sort=metric%3Aquality',
    '?status=error&sort=duration',
  ]) {
    sorts.push(await time(server, tasksOf(query)))
  }
  // The next page of a sort: follow the page's own "next" link.
  const nextPage: Sample[] = []
  for (const query of ['?sort=duration', '?sort=metric%3Aquality', '']) {
    const html = await (await fetch(`${origin}${tasksOf(query)}`)).text()
    const next = /href="([^"]+)" rel="next"/.exec(html)?.[1]?.replaceAll('&amp;', '&')
    if (next !== undefined) nextPage.push(await time(server, next))
  }
  const spans = await sampleSpans(path, session)
  const taskPage: Sample[] = []
  for (const span of spans.tasks)
    taskPage.push(await time(server, `/run/${span.run_id}/span/${span.span_id}`))
  for (const span of spans.tests)
    taskPage.push(await time(server, `/run/${span.run_id}/span/${span.span_id}`))
  const previews: Sample[] = []
  for (const query of ['', '?sort=metric%3Aquality', '?label=extract']) {
    const html = await (await fetch(`${origin}${tasksOf(query)}`)).text()
    const rows = [...html.matchAll(/data-run="([^"]+)" data-span="([^"]+)"/g)]
    const params = new URLSearchParams()
    for (const [, run, span] of rows) {
      params.append('r', run ?? '')
      params.append('s', span ?? '')
    }
    previews.push(await time(server, `/previews?${params.toString()}`))
  }
  const search: Sample[] = []
  for (const term of ['refund invoice', 'synthetic failure 4711', 'warranty', 'no such words at all']) {
    search.push(await time(server, tasksOf(`?q=${encodeURIComponent(term)}`)))
  }
  const compare = [
    await time(server, '/compare?base=bench-baseline&cand=bench-candidate'),
    await time(
      server,
      '/compare?base=bench-baseline&cand=bench-candidate&key=classify.quality&run=suite-1.eval.ts',
    ),
    await time(server, '/compare?base=bench-baseline&cand=bench-candidate&change=improved'),
  ]
  const candidates = [
    await time(server, `/session/${session}/candidates`),
    await time(server, `/session/${session}/candidates?label=summarize&n=20`),
  ]
  const serverPeakMb = await server.stop()
  return {
    tasks,
    generateMs,
    firstPage: timed(firstPage),
    sessionsPage: timed(sessionsPage),
    sessionPage: timed(sessionPage),
    filters: timed(filters),
    sorts: timed(sorts),
    nextPage: timed(nextPage),
    taskPage: timed(taskPage),
    previews: timed(previews),
    search: timed(search),
    compare: timed(compare),
    candidates: timed(candidates),
    requests,
    serverPeakMb,
    loadAverage: [loadBefore, loadavg()[0] ?? 0],
  }
}

/** Task calls with a nested task and a model call, and test spans, spread over the session. */
async function sampleSpans(
  path: string,
  session: string,
): Promise<{ tasks: { run_id: string; span_id: string }[]; tests: { run_id: string; span_id: string }[] }> {
  const database = await openDatabase(path, { readOnly: true })
  try {
    const tasks = await database.query<{ run_id: string; span_id: string }>(
      `SELECT DISTINCT run_id, parent_id AS span_id FROM spans
       WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ?) AND kind = 'task' AND label = 'lookup'
       ORDER BY hash(parent_id) LIMIT 8`,
      [session],
    )
    const tests = await database.query<{ run_id: string; span_id: string }>(
      `SELECT run_id, span_id FROM spans WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
         AND kind = 'test' ORDER BY hash(span_id) LIMIT 2`,
      [session],
    )
    return { tasks, tests }
  } finally {
    database.close()
  }
}
