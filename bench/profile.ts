/**
 * `npm run bench:profile -- WORKLOAD`: where the time of a target not met goes. Both sides of the
 * target's comparison run once more under V8's sampling profiler (`--cpu-prof`, which Vitest's forked
 * workers inherit), and the profiles are summed per process role (Vitest's main process, its workers)
 * and per package, with strikes' own functions listed. Workloads:
 *
 * - `many` (`--files F`, default 60): the many-files suite recorded (`STRIKES=1`) and with recording off;
 * - `each` (`--n N`, default 5000): the peer workload's `test.each` under `--reporter=strikes`, and plain
 *   Vitest on the same rows;
 * - `overhead` (`--calls N`, default 200000): the per-task loop of `task-overhead.ts`, recorded in a run.
 *
 * A profile samples JavaScript on each process's main thread (with the time inside native calls made
 * from it, such as a synchronous close of DuckDB); DuckDB's own threads are not sampled. Prints Markdown.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { withRun } from 'strikes'
import { manyFilesSources } from './many-files.js'
import { PEER_FILES } from './peer-workload.js'
import { measuredTask } from './task-overhead.js'
import { benchProject, prepareWorkspace, REPO, VITEST } from './workspace.js'

/** Sampled milliseconds of one side, per role, by package and by function. */
interface SideProfile {
  readonly processes: Record<Role, number>
  readonly busy: Record<Role, number>
  readonly packages: Record<Role, Map<string, number>>
  readonly functions: Record<Role, Map<string, number>>
  /** Every function (any package), for the ones that differ most between the sides. */
  readonly everyFunction: Record<Role, Map<string, number>>
}

type Role = 'main' | 'workers'

interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
  }>
  readonly samples: readonly number[]
  readonly timeDeltas: readonly number[]
}

/** The package a frame's script belongs to: the last `node_modules/<name>` of its path, or what it is. */
function packageOf(url: string, functionName: string): string {
  // No script: code compiled at run time (strikes' spool line encoders are built with `new Function`).
  if (url === '') return functionName === '' ? '(code compiled at run time)' : functionName
  if (url.startsWith('node:')) return 'node: (Node.js internals)'
  const path = url.replace(/^file:\/\//, '')
  const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)
  if (match?.[1] !== undefined) return match[1]
  // The in-process loop imports this repository's own build.
  if (path.startsWith(`${join(REPO, 'dist')}/`)) return 'strikes'
  return '(test files)'
}

/** Adds one profile's samples to `side` under `role`. */
function addProfile(side: SideProfile, role: Role, profile: CpuProfile): void {
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]))
  side.processes[role] += 1
  profile.samples.forEach((id, index) => {
    const frame = byId.get(id)
    const ms = (profile.timeDeltas[index] ?? 0) / 1000
    if (frame === undefined || frame.functionName === '(idle)') return
    side.busy[role] += ms
    const pkg = packageOf(frame.url, frame.functionName)
    side.packages[role].set(pkg, (side.packages[role].get(pkg) ?? 0) + ms)
    const name = `${frame.functionName || '(module)'} (${pkg === '(test files)' ? pkg : `${pkg}:${frame.lineNumber + 1}`})`
    side.everyFunction[role].set(name, (side.everyFunction[role].get(name) ?? 0) + ms)
    if (pkg === 'strikes') {
      const file = frame.url.replace(/.*node_modules\/strikes\//, '').replace(`file://${REPO}/`, '')
      const key = `${frame.functionName || '(module)'} (${file}:${frame.lineNumber + 1})`
      side.functions[role].set(key, (side.functions[role].get(key) ?? 0) + ms)
    }
  })
}

function emptySide(): SideProfile {
  return {
    processes: { main: 0, workers: 0 },
    busy: { main: 0, workers: 0 },
    packages: { main: new Map(), workers: new Map() },
    functions: { main: new Map(), workers: new Map() },
    everyFunction: { main: new Map(), workers: new Map() },
  }
}

/** Runs `args` under node with `--cpu-prof` in `cwd`; returns its profiles by role. */
function profileCommand(
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): Promise<SideProfile> {
  const dir = mkdtempSync(join(REPO, 'bench/.tmp/profile-'))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) {
        rmSync(dir, { recursive: true, force: true })
        reject(new Error(`profiled command exited ${code}: ${args.join(' ')}\n${stderr}`))
        return
      }
      settledProfiles(dir)
        .then((files) => {
          const side = emptySide()
          for (const [name, profile] of files) {
            // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile
            addProfile(side, Number(name.split('.')[3]) === child.pid ? 'main' : 'workers', profile)
          }
          resolve(side)
        }, reject)
        .finally(() => rmSync(dir, { recursive: true, force: true }))
    })
  })
}

/**
 * The profiles in `dir` once every process has written its own: a worker that Vitest lets exit after the
 * main process writes its profile after the command ended, so the folder is read until it holds the same
 * complete files twice, 300 ms apart (up to 15 s).
 */
async function settledProfiles(dir: string): Promise<Map<string, CpuProfile>> {
  let previous = ''
  for (let attempt = 0; attempt < 50; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 300))
    const files = new Map<string, CpuProfile>()
    try {
      for (const name of readdirSync(dir)
        .filter((file) => file.endsWith('.cpuprofile'))
        .sort())
        files.set(name, JSON.parse(readFileSync(join(dir, name), 'utf8')) as CpuProfile)
    } catch {
      continue // a profile still being written
    }
    const names = [...files.keys()].join(',')
    if (names === previous) return files
    previous = names
  }
  throw new Error(`strikes bench:profile: the profiles in ${dir} never settled`)
}

/** Markdown: per role, busy time of both sides and the packages that differ most. */
function compareSides(names: [string, string], a: SideProfile, b: SideProfile, rows = 14): string {
  const out: string[] = []
  for (const role of ['main', 'workers'] as const) {
    if (a.processes[role] + b.processes[role] === 0) continue
    out.push(
      `\n### ${role === 'main' ? 'Main process' : 'Workers'} (sampled JavaScript ms; ${names[0]}: ${a.processes[role]} process(es), ${names[1]}: ${b.processes[role]})\n`,
      `| package | ${names[0]} | ${names[1]} | difference |`,
      '|---|---|---|---|',
      `| **all** | **${a.busy[role].toFixed(0)}** | **${b.busy[role].toFixed(0)}** | **${(a.busy[role] - b.busy[role]).toFixed(0)}** |`,
    )
    const keys = new Set([...a.packages[role].keys(), ...b.packages[role].keys()])
    const diffs = [...keys]
      .map((key) => ({ key, a: a.packages[role].get(key) ?? 0, b: b.packages[role].get(key) ?? 0 }))
      .sort((x, y) => Math.abs(y.a - y.b) - Math.abs(x.a - x.b))
      .slice(0, rows)
    for (const row of diffs)
      out.push(`| ${row.key} | ${row.a.toFixed(0)} | ${row.b.toFixed(0)} | ${(row.a - row.b).toFixed(0)} |`)
    const functionNames = new Set([...a.everyFunction[role].keys(), ...b.everyFunction[role].keys()])
    const functions = [...functionNames]
      .map((key) => ({ key, a: a.everyFunction[role].get(key) ?? 0, b: b.everyFunction[role].get(key) ?? 0 }))
      .sort((x, y) => Math.abs(y.a - y.b) - Math.abs(x.a - x.b))
      .slice(0, rows)
    out.push('', `| function (package:line) | ${names[0]} | ${names[1]} | difference |`, '|---|---|---|---|')
    for (const row of functions)
      out.push(`| ${row.key} | ${row.a.toFixed(0)} | ${row.b.toFixed(0)} | ${(row.a - row.b).toFixed(0)} |`)
  }
  return out.join('\n')
}

/** Markdown: strikes' functions by self time, per role. */
function strikesFunctions(side: SideProfile, rows = 20): string {
  const out: string[] = []
  for (const role of ['main', 'workers'] as const) {
    const entries = [...side.functions[role]].sort((x, y) => y[1] - x[1]).slice(0, rows)
    if (entries.length === 0) continue
    const total = [...side.functions[role].values()].reduce((sum, ms) => sum + ms, 0)
    out.push(
      `\n### strikes' own functions, ${role === 'main' ? 'main process' : 'workers'} (self ms; ${total.toFixed(0)} in all)\n`,
      '| function | ms |',
      '|---|---|',
      ...entries.map(([key, ms]) => `| ${key} | ${ms.toFixed(1)} |`),
    )
  }
  return out.join('\n')
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      files: { type: 'string', default: '60' },
      n: { type: 'string', default: '5000' },
      calls: { type: 'string', default: '200000' },
    },
  })
  const workload = positionals[0]
  if (workload === 'overhead-child') {
    // Inside the profiled process: the measured task, recorded in a run, `calls` times.
    const task = measuredTask()
    const calls = Number(values.calls)
    await withRun(
      { name: 'profile-overhead', db: join(REPO, 'bench/.tmp/profile-overhead.duckdb') },
      async () => {
        for (let i = 0; i < calls; i++) await task(`item ${i}`)
      },
    )
    return
  }
  const print = (text: string): boolean => process.stdout.write(`${text}\n`)
  if (workload === 'overhead') {
    const self = fileURLToPath(import.meta.url)
    const side = await profileCommand([self, 'overhead-child', '--calls', String(values.calls)], REPO, {})
    print(`## Per-task loop, ${Number(values.calls).toLocaleString('en-US')} recorded calls in one process\n`)
    print(compareSides(['recorded', '—'], side, emptySide(), 16))
    print(strikesFunctions(side, 30))
    return
  }
  if (workload !== 'many' && workload !== 'each') {
    throw new Error('strikes bench:profile: name a workload: many, each or overhead')
  }
  prepareWorkspace()
  if (workload === 'many') {
    const files = Number(values.files)
    const dir = benchProject(`many-files-${files}`, manyFilesSources(files))
    const run = (recording: boolean): Promise<SideProfile> =>
      profileCommand([VITEST, 'run', '--root', dir], dir, {
        STRIKES: recording ? '1' : '0',
        STRIKES_PROGRESS_MS: '0',
      })
    await run(false) // warms Vite's transform cache and the OS file cache for both sides
    const off = await run(false)
    const recorded = await run(true)
    print(`## ${files} eval files × 20 cases: recorded (STRIKES=1) against recording off (STRIKES=0)\n`)
    print(compareSides(['recorded', 'off'], recorded, off))
    print(strikesFunctions(recorded))
    return
  }
  const n = String(values.n)
  const each = benchProject('peer-each', PEER_FILES.each)
  const plain = benchProject('peer-plain', PEER_FILES.plain)
  const run = (dir: string, reporter: string[]): Promise<SideProfile> =>
    profileCommand([VITEST, 'run', '--root', dir, ...reporter], dir, { N: n })
  await run(plain, [])
  const floor = await run(plain, [])
  const recorded = await run(each, ['--reporter=strikes'])
  print(`## ${Number(n).toLocaleString('en-US')} rows as test.each: strikes against plain Vitest\n`)
  print(compareSides(['strikes', 'plain Vitest'], recorded, floor))
  print(strikesFunctions(recorded))
}

await main()
