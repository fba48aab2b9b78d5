/**
 * Running a command and measuring it: wall time, and the peak resident memory of the process and of
 * each of its descendants (Vitest's workers), read from /proc while it runs (VmHWM is the kernel's own
 * high-water mark, so short peaks between two reads are not missed).
 */
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** What a measured command did. */
export interface Measured {
  readonly code: number | null
  readonly wallMs: number
  /** Peak RSS of the command's own process, in MB. */
  readonly mainPeakMb: number
  /** Largest peak RSS among its descendants, in MB (0 when it had none). */
  readonly childPeakMb: number
  readonly stdout: string
  readonly stderr: string
}

function readStatus(pid: number): { ppid: number; hwmKb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0)
    const hwmKb = Number(/^VmHWM:\s+(\d+)/m.exec(status)?.[1] ?? 0)
    return { ppid, hwmKb }
  } catch {
    return undefined
  }
}

function descendants(root: number): number[] {
  const parents = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry)
    if (!Number.isInteger(pid)) continue
    const status = readStatus(pid)
    if (status !== undefined) parents.set(pid, status.ppid)
  }
  const found: number[] = []
  const frontier = [root]
  while (frontier.length > 0) {
    const parent = frontier.pop() as number
    for (const [pid, ppid] of parents) {
      if (ppid === parent) {
        found.push(pid)
        frontier.push(pid)
      }
    }
  }
  return found
}

/** Runs `command args` in `cwd` and measures it. */
export function measureCommand(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: Record<string, string>; pollMs?: number },
): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    let mainPeakKb = 0
    const childPeakKb = new Map<number, number>()
    const poll = (): void => {
      const pid = child.pid
      if (pid === undefined) return
      mainPeakKb = Math.max(mainPeakKb, readStatus(pid)?.hwmKb ?? 0)
      for (const descendant of descendants(pid)) {
        const hwm = readStatus(descendant)?.hwmKb ?? 0
        childPeakKb.set(descendant, Math.max(childPeakKb.get(descendant) ?? 0, hwm))
      }
    }
    const timer = setInterval(poll, options.pollMs ?? 50)
    child.on('error', reject)
    child.on('exit', () => poll())
    child.on('close', (code) => {
      clearInterval(timer)
      resolve({
        code,
        wallMs: performance.now() - started,
        mainPeakMb: mainPeakKb / 1024,
        childPeakMb: Math.max(0, ...childPeakKb.values()) / 1024,
        stdout,
        stderr,
      })
    })
  })
}
