/**
 * Fixture projects for integration tests: a copy of `fixtures/projects/<name>` in a fresh folder under
 * `test/.tmp/`, with `node_modules/strikes` linked to this repository (as an installed package would be),
 * run through the real `vitest` binary, with its real DuckDB file opened for queries.
 */
import { spawn } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DuckDBInstance } from '@duckdb/node-api'

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
export const VITEST_BIN = join(REPO_ROOT, 'node_modules/vitest/vitest.mjs')
const TMP_ROOT = join(REPO_ROOT, 'test/.tmp')

/** A copied fixture project. */
export interface FixtureProject {
  readonly dir: string
  /** The default database path of the project. */
  readonly db: string
  /** Writes (or overwrites) a file in the project. */
  write(path: string, content: string): void
  /** Runs `vitest run` in the project with extra arguments. */
  vitest(args?: string[], options?: RunOptions): Promise<RunResult>
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  timeoutMs?: number
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Copies a fixture project (or starts an empty one when `name` is undefined) into a fresh folder. */
export function fixtureProject(name: string | undefined, files: Record<string, string> = {}): FixtureProject {
  mkdirSync(TMP_ROOT, { recursive: true })
  const dir = mkdtempSync(join(TMP_ROOT, `${name ?? 'empty'}-`))
  if (name !== undefined) cpSync(join(REPO_ROOT, 'fixtures/projects', name), dir, { recursive: true })
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  symlinkSync(REPO_ROOT, join(dir, 'node_modules/strikes'), 'dir')
  const project: FixtureProject = {
    dir,
    db: join(dir, '.strikes/strikes.duckdb'),
    write(path, content) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), content)
    },
    vitest(args = [], options = {}) {
      return runNode([VITEST_BIN, 'run', '--root', dir, ...args], dir, options)
    },
  }
  for (const [path, content] of Object.entries(files)) project.write(path, content)
  return project
}

/** Runs `node` with arguments in `cwd`, collecting output. */
export function runNode(args: string[], cwd: string, options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, CI: '1', ...options.env },
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
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolvePromise({ code, signal, stdout, stderr })
    })
  })
}

/** Runs SQL against a DuckDB file (read-only) and returns the rows as plain objects. */
export async function query<T = Record<string, unknown>>(db: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' })
  try {
    const connection = await instance.connect()
    try {
      const reader = await connection.runAndReadAll(sql)
      return reader.getRowObjectsJS() as T[]
    } finally {
      connection.closeSync()
    }
  } finally {
    instance.closeSync()
  }
}

/**
 * Runs statements on a DuckDB file with DuckDB's defaults, not through strikes (no lock-down, no trust
 * check): as another program, or someone crafting a file, would.
 */
export async function runSql(db: string, statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(db)
  try {
    const connection = await instance.connect()
    try {
      for (const statement of statements) await connection.run(statement)
    } finally {
      connection.closeSync()
    }
  } finally {
    instance.closeSync()
  }
}
