/**
 * Paths strikes writes to and reads from, given badly: `strikes report --out` (and the `report` option)
 * write only regular files — a FIFO, a folder, a symbolic link are refused and left as they are, paths
 * under /proc and /sys are refused at once (Node's recursive mkdir would spin there forever) — and a
 * read-only database folder, a database path under a file, a folder at the database path each give one
 * line saying what and where. Device cases use a FIFO made in a temporary folder, never a real device.
 */
import { execFileSync } from 'node:child_process'
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { evalTask, withRun } from '../../src/index.js'
import { type FixtureProject, fixtureProject, query, REPO_ROOT, runNode } from '../helpers/fixture-project.js'
import { canMountTmpfs, mountTmpfs, NO_TMPFS } from './tmpfs.js'

const CLI = join(REPO_ROOT, 'dist/reporter/cli/main.js')

function strikes(args: string[], cwd: string) {
  return runNode([CLI, ...args], cwd, { timeoutMs: 60_000 })
}

/** The lines of output that are strikes' own messages. */
function strikesLines(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('strikes: '))
}

describe('strikes report --out', () => {
  let project: FixtureProject
  let db: string

  beforeAll(async () => {
    project = fixtureProject(undefined)
    db = join(project.dir, 'strikes.duckdb')
    await withRun({ name: 'recorded', project: 'paths', db }, async () => {
      await evalTask(async function echo(text: string) {
        return text
      })('kept')
    })
  })

  test('a FIFO: refused in one line, exit 2, the FIFO still a FIFO (nothing replaced, nothing hangs)', async () => {
    const fifo = join(project.dir, 'pipe.html')
    execFileSync('mkfifo', [fifo])
    const result = await strikes(['report', '--db', db, '--out', fifo], project.dir)
    expect(result.code).toBe(2)
    expect(strikesLines(result.stderr)).toEqual([
      `strikes: cannot write the report to ${fifo} (it is a FIFO (named pipe); strikes writes reports only to regular files and never replaces anything else). Point the \`report\` option (or \`strikes report --out\`) at a writable file, or set \`report: false\`; every result is still recorded in the database.`,
    ])
    expect(lstatSync(fifo).isFIFO()).toBe(true)
  })

  test('a folder and a symbolic link: refused, left as they are', async () => {
    const folder = join(project.dir, 'a-folder')
    mkdirSync(folder)
    const victim = join(project.dir, 'victim.txt')
    writeFileSync(victim, 'precious\n')
    const link = join(project.dir, 'link.html')
    symlinkSync(victim, link)
    for (const [out, what] of [
      [folder, 'a folder'],
      [link, 'a symbolic link'],
    ] as const) {
      const result = await strikes(['report', '--db', db, '--out', out], project.dir)
      expect(result.code, out).toBe(2)
      expect(result.stderr).toContain(`strikes: cannot write the report to ${out} (it is ${what};`)
    }
    expect(lstatSync(folder).isDirectory()).toBe(true)
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
  })

  test('paths under /proc and /sys: refused at once (no spinning), exit 2', async () => {
    for (const out of ['/proc/nonexistent/r.html', '/sys/r.html', '/proc/self/r.html']) {
      const started = Date.now()
      const result = await strikes(['report', '--db', db, '--out', out], project.dir)
      expect(result.code, out).toBe(2)
      expect(result.stderr).toContain(
        `strikes: cannot write the report to ${out} (strikes does not write under /proc, /sys or /dev)`,
      )
      expect(Date.now() - started).toBeLessThan(30_000)
    }
  })

  test('a folder that is a link into /proc: refused', async () => {
    const link = join(project.dir, 'proc-link')
    symlinkSync('/proc/self', link)
    const result = await strikes(['report', '--db', db, '--out', join(link, 'r.html')], project.dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /its folder is \/proc\/\d+; strikes does not write under \/proc, \/sys or \/dev/,
    )
  })

  test('export --parquet into /proc is refused in one line', async () => {
    const result = await strikes(['export', '--db', db, '--parquet', '/proc/nonexistent/out'], project.dir)
    expect(result.code).toBe(2)
    expect(strikesLines(result.stderr)).toEqual([
      'strikes: cannot create the export folder /proc/nonexistent/out: strikes does not write under /proc, /sys or /dev',
    ])
  })
})

describe('the report option of a vitest session', () => {
  test('a FIFO at the report path: one error naming it, every result recorded, exit 1, the FIFO left', async () => {
    const project = fixtureProject('reliability-store')
    const fifo = join(project.dir, 'report.html')
    execFileSync('mkfifo', [fifo])
    const result = await project.vitest(['--reporter=strikes'], { env: { STORE_REPORT: 'report.html' } })
    expect(result.code).toBe(1)
    expect(
      strikesLines(result.stdout + result.stderr).filter((line) => line.includes('cannot write the report')),
    ).toEqual([
      expect.stringContaining(`strikes: cannot write the report to ${fifo} (it is a FIFO (named pipe);`),
    ])
    expect(lstatSync(fifo).isFIFO()).toBe(true)
    expect(await query(project.db, 'SELECT name FROM runs')).toEqual([{ name: 'record.eval.ts' }])
  })
})

describe('bad database paths: one line, what and where', () => {
  test('a read-only database folder: the tests run, one line says the folder is read-only and nothing is recorded, exit 1', async (context) => {
    if (!canMountTmpfs()) context.skip(NO_TMPFS)
    const project = fixtureProject('reliability-store')
    const device = mountTmpfs('size=1m,ro')
    try {
      const db = join(device.dir, 'strikes.duckdb')
      const result = await project.vitest(['--reporter=strikes'], {
        env: { STORE_DB: db, STORE_REPORT: 'false' },
      })
      const output = result.stdout + result.stderr
      expect(result.code).toBe(1)
      expect(output).not.toContain('Unhandled Error')
      expect(output).toContain('✓ record.eval.ts')
      const lines = strikesLines(output)
      expect(lines.length).toBeGreaterThan(0)
      for (const line of lines) {
        expect(line).toMatch(
          /^strikes: cannot create the spool folder \S+\.spool\/[0-9a-f-]{36}: the file system is read-only; nothing of this run is recorded — make the database's folder writable or point the `db` option elsewhere$/,
        )
        expect(line).toContain(`${db}.spool/`)
      }
    } finally {
      device.unmount()
    }
  })

  test('the CLI given a folder, a path under a file, a missing file: one line each, exit 2', async () => {
    const project = fixtureProject(undefined)
    const folder = join(project.dir, 'folder.duckdb')
    mkdirSync(folder)
    const file = join(project.dir, 'notes.txt')
    writeFileSync(file, 'notes\n')
    const cases: [string, string][] = [
      [
        folder,
        `strikes: ${folder} is not a DuckDB database (it is a directory or a device); it was left untouched.`,
      ],
      [join(file, 'strikes.duckdb'), `strikes: no database at ${join(file, 'strikes.duckdb')}`],
      [join(project.dir, 'missing.duckdb'), `strikes: no database at ${join(project.dir, 'missing.duckdb')}`],
      [file, `strikes: ${file} is not a DuckDB database; it was left untouched.`],
    ]
    for (const [db, message] of cases) {
      const result = await strikes(['runs', '--db', db], project.dir)
      expect(result.code, db).toBe(2)
      expect(strikesLines(result.stderr), db).toEqual([expect.stringContaining(message)])
    }
  })

  test('withRun with a database path under a file: one error naming the path and the file in the way', async () => {
    const project = fixtureProject(undefined)
    const file = join(project.dir, 'notes.txt')
    writeFileSync(file, 'notes\n')
    const db = join(file, 'strikes.duckdb')
    await expect(withRun({ name: 'x', project: 'paths', db }, async () => {})).rejects.toThrow(
      `strikes: cannot create the spool folder ${db}.spool/`,
    )
    await expect(withRun({ name: 'x', project: 'paths', db }, async () => {})).rejects.toThrow(
      `${file} is a file, not a folder`,
    )
  })
})
