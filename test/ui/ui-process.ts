/**
 * `strikes ui` as users start it: the built CLI (`node dist/reporter/cli/main.js ui`) in a child process,
 * its address read from what it prints, stopped with SIGTERM as Ctrl-C would.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { request } from 'node:http'
import { join } from 'node:path'
import { REPO_ROOT } from '../helpers/fixture-project.js'

const CLI = join(REPO_ROOT, 'dist/reporter/cli/main.js')

/** A running `strikes ui`. */
export interface UiProcess {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string
  readonly origin: string
  readonly port: number
  readonly output: () => string
  /** Stops the server (SIGTERM) and resolves with its exit code. */
  stop(): Promise<number | null>
}

/** Starts `strikes ui --db <db> --port 0 …` in `cwd` and waits for its address. */
export function startUi(
  db: string,
  args: readonly string[] = [],
  cwd: string = REPO_ROOT,
): Promise<UiProcess> {
  const child: ChildProcess = spawn(process.execPath, [CLI, 'ui', '--db', db, '--port', '0', ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`strikes ui printed no address within 20 s:\n${output}`))
    }, 20_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /strikes ui: (http:\/\/[^\s]+)/.exec(output)
      if (match?.[1] === undefined) return
      clearTimeout(timer)
      const url = match[1]
      const parsed = new URL(url)
      resolve({
        url,
        origin: parsed.origin,
        port: Number(parsed.port),
        output: () => output,
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM')
          return exited
        },
      })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`strikes ui exited (${code}) before printing its address:\n${output}`))
    })
  })
}

/** A response read in full. */
export interface RawResponse {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

/** A raw HTTP request to the server with full control of the headers (a browser would not send a foreign Host). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: options.headers ?? {},
        setHost: false,
      },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          body += chunk
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end()
  })
}
