/** The `strikes` command line itself: help, version, and one clear error line with exit 2 for every misuse. */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixtureProject, REPO_ROOT } from '../helpers/fixture-project.js'
import { lines, strikes } from './strikes-cli.js'

const COMMANDS = ['query', 'runs', 'gate', 'compare', 'report', 'export', 'merge', 'ui']

describe.concurrent('help and version', () => {
  test('--help lists every command and exits 0', async () => {
    const result = await strikes(['--help'])
    expect(result.code).toBe(0)
    for (const command of COMMANDS) expect(result.stdout).toContain(command)
    expect(result.stderr).toBe('')
  })

  test.each(COMMANDS)('strikes %s --help shows the usage of the command and exits 0', async (command) => {
    const result = await strikes([command, '--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Usage: strikes ${command}`)
    const viaHelp = await strikes(['help', command])
    expect(viaHelp.stdout).toBe(result.stdout)
  })

  test('--version prints the package version', async () => {
    const result = await strikes(['--version'])
    expect(result.code).toBe(0)
    const { version } = (await import(join(REPO_ROOT, 'package.json'), { with: { type: 'json' } }))
      .default as {
      version: string
    }
    expect(result.stdout.trim()).toBe(version)
  })
})

describe.concurrent('misuse: one line on stderr, exit 2', () => {
  test.each([
    [[], 'missing command'],
    [['frobnicate'], 'unknown command "frobnicate"'],
    [['--db', 'x.duckdb', 'runs'], 'put the command first'],
    [['runs', '--bogus'], "Unknown option '--bogus'"],
    [['runs', '--limit', 'zero'], '--limit'],
    [['runs', 'extra'], 'unexpected argument'],
    [['query'], 'missing the SQL'],
    [['query', 'SELECT 1', '--json', '--csv'], 'one of --json and --csv'],
    [['gate', '--key', 'summarize.quality'], 'at least one gate'],
    [['gate', 'avg >= 0.8'], 'names no key'],
    [['compare', 'latest'], 'takes two sessions'],
    [['compare', 'a', 'b', '--agg', 'average'], '--agg is gone'],
    [['compare', 'a', 'b', '--top', '1.5'], '--top takes a whole number'],
    [['export'], '--parquet'],
    [['export', '--parquet', 'a', '--snapshot', 'b'], 'one of --parquet and --snapshot'],
    [['merge'], 'give the shard databases'],
    [['query', '--lake', 'a', '--db', 'b', 'SELECT 1'], 'one of --db and --lake'],
    [['ui', '--port', 'abc'], '--port must be a whole number'],
    [['ui', 'extra'], 'unexpected argument'],
  ])('strikes %j fails with "%s"', async (args, message) => {
    const result = await strikes(args)
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toContain(message)
  })

  test.each([
    ['query', 'SELECT 1'],
    ['runs'],
    ['gate', 'q: avg >= 1'],
    ['compare', 'latest', 'latest'],
    ['report'],
    ['export', '--parquet', 'out'],
  ])('strikes %s without a database says there is none, exit 2', async (...args) => {
    const project = fixtureProject(undefined)
    const result = await strikes(args, project.dir)
    expect(result.code).toBe(2)
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toContain('no database at')
    expect(result.stderr).toContain('.strikes/strikes.duckdb')
  })

  test('a file that is not DuckDB is refused and left untouched', async () => {
    const project = fixtureProject(undefined)
    writeFileSync(join(project.dir, 'notes.txt'), 'hello')
    const result = await strikes(['runs', '--db', 'notes.txt'], project.dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('not a DuckDB database')
  })
})
