/**
 * A `vitest run --reporter=strikes` process on a fixture project that a test can signal while it runs,
 * and the waits that tell the test what the process is doing (a run's spool finished, the database opened).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type FixtureProject, type RunResult, VITEST_BIN } from '../helpers/fixture-project.js'

/** A running `vitest` process and its result once it exits. */
export interface VitestProcess {
  readonly child: ChildProcess
  readonly result: Promise<RunResult>
}

/** Starts `vitest run --reporter=strikes` in the project (with extra environment variables). */
export function startVitest(
  project: FixtureProject,
  env: Record<string, string> = {},
  timeoutMs = 120_000,
): VitestProcess {
  const child = spawn(process.execPath, [VITEST_BIN, 'run', '--root', project.dir, '--reporter=strikes'], {
    cwd: project.dir,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const result = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
  })
  return { child, result }
}

/** Resolves once `condition` holds (checked every few milliseconds); rejects after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Run folders under a spool root (`<db>.spool/<session>/<run>`). */
export function spoolRunFolders(spoolRoot: string): string[] {
  if (!existsSync(spoolRoot)) return []
  const folders: string[] = []
  for (const session of readdirSync(spoolRoot, { withFileTypes: true })) {
    if (!session.isDirectory()) continue
    for (const run of readdirSync(join(spoolRoot, session.name), { withFileTypes: true })) {
      if (run.isDirectory()) folders.push(join(spoolRoot, session.name, run.name))
    }
  }
  return folders
}

/** True once some run in the spool wrote its end event (its file finished; the reporter ingests next). */
export function someRunEnded(spoolRoot: string): boolean {
  return spoolRunFolders(spoolRoot).some((dir) => {
    try {
      return readFileSync(join(dir, 'run.ndjson'), 'utf8').includes('"type":"end"')
    } catch {
      return false
    }
  })
}
