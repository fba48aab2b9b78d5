/**
 * A crafted `.duckdb` file — committed, downloaded as a CI artifact, received — runs nothing of its own:
 * a view that reads `.env`, a macro shadowing a built-in (`isnan`, which the gates use), column defaults,
 * generated columns, CHECK constraints, expression indexes, a type shadowing `json`, table macros posing
 * as DuckDB's catalog functions. The reporter and every CLI command refuse the file naming what is
 * foreign, print no secret, write no report, and leave the file byte for byte as it was.
 */
import { createHash } from 'node:crypto'
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { type ForeignObject, UntrustedDatabaseError } from '../../reporter/store/trust.js'
import { evalTask, withRun } from '../../src/index.js'
import { type FixtureProject, fixtureProject, REPO_ROOT, runNode } from '../helpers/fixture-project.js'
import { spoolRunFolders } from './vitest-process.js'

const SECRET = 'sk-live-7f3a9c1e5b'
const CLI = join(REPO_ROOT, 'dist/reporter/cli/main.js')

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** Runs statements on a database file with DuckDB's defaults (external access on), as an attacker would. */
async function craft(db: string, statements: readonly string[]): Promise<void> {
  const instance = await DuckDBInstance.create(db)
  try {
    const connection = await instance.connect()
    for (const statement of statements) await connection.run(statement)
    connection.closeSync()
  } finally {
    instance.closeSync()
  }
}

describe('a database holding a view that reads .env and a macro shadowing isnan', () => {
  let project: FixtureProject
  let before: string

  beforeAll(async () => {
    project = fixtureProject('reliability-store')
    writeFileSync(join(project.dir, '.env'), `API_KEY=${SECRET}\n`)
    // Ten points per task, 0 to 0.9: the true average is 0.45.
    const recorded = await project.vitest(['--reporter=strikes'], {
      env: { STORE_POINTS: '10', STORE_REPORT: 'false' },
    })
    if (recorded.code !== 0) throw new Error(recorded.stdout + recorded.stderr)
    await craft(project.db, [
      `CREATE OR REPLACE VIEW metric_summary AS
         SELECT m.run_id, m.name || (SELECT string_agg(content, ' ') FROM read_text(['${join(project.dir, '.env')}'])) AS name,
           count(*) AS count, avg(raw_value) AS avg, min(raw_value) AS min, max(raw_value) AS max,
           quantile_cont(raw_value, 0.5) AS p50, quantile_cont(raw_value, 0.95) AS p95
         FROM run_metrics m GROUP BY ALL`,
      // Without the zeros, the average is 0.5: a gate "avg >= 0.5" would pass on data averaging 0.45.
      'CREATE MACRO isnan(x) AS x = 0',
    ])
    before = digest(project.db)
  })

  test('vitest refuses the file naming both, prints no secret, writes no report, keeps the run in the spool and the file unchanged', async () => {
    const result = await project.vitest(['--reporter=strikes'], {
      env: { STORE_POINTS: '10', STORE_GATE: 'avg >= 0.5' },
    })
    const output = result.stdout + result.stderr
    expect(result.code).toBe(1)
    expect(output).not.toContain(SECRET)
    expect(output).toContain(`strikes: ${project.db} holds objects strikes did not create (`)
    expect(output).toContain('macro main.isnan: not created by strikes')
    expect(output).toContain("view metric_summary: not strikes' definition")
    expect(existsSync(join(project.dir, '.strikes/report.html'))).toBe(false)
    expect(spoolRunFolders(`${project.db}.spool`)).toHaveLength(1)
    expect(digest(project.db)).toBe(before)
  })

  test.each([
    ['runs', ['runs']],
    ['compare', ['compare', 'latest', 'latest']],
    ['gate', ['gate', 'answer.quality: avg >= 0.5']],
    ['query', ['query', 'SELECT * FROM metric_summary']],
    ['report', ['report', '--out', 'crafted-report.html']],
    ['export', ['export', '--parquet', 'crafted-export']],
  ])(
    'strikes %s refuses it in one line naming what is foreign, exit 2, no secret, the file unchanged',
    async (_name, args) => {
      const result = await runNode([CLI, ...args, '--db', project.db], project.dir, { timeoutMs: 60_000 })
      expect(result.code).toBe(2)
      expect(result.stdout + result.stderr).not.toContain(SECRET)
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^strikes: .* holds objects strikes did not create \(macro main\.isnan: .*view metric_summary: not strikes' definition\)/,
        ),
      ])
      expect(existsSync(join(project.dir, 'crafted-report.html'))).toBe(false)
      expect(digest(project.db)).toBe(before)
    },
  )
})

describe('each trick a file can carry is refused by openDatabase, read-only or not, naming it', () => {
  let clean: string

  beforeAll(async () => {
    const dir = fixtureProject(undefined).dir
    clean = join(dir, 'clean.duckdb')
    await withRun({ name: 'recorded', project: 'trust', db: clean }, async () => {
      await evalTask(async function echo(text: string) {
        return text
      })('kept')
    })
  })

  /** A copy of the clean database with `statements` applied. */
  async function crafted(name: string, statements: readonly string[]): Promise<string> {
    const db = join(REPO_ROOT, 'test/.tmp', `${name}-${process.pid}-${Date.now()}.duckdb`)
    copyFileSync(clean, db)
    await craft(db, statements)
    return db
  }

  test.each<[string, string[], Partial<ForeignObject>]>([
    [
      'a column default on a strikes table',
      ["ALTER TABLE runs ALTER COLUMN error SET DEFAULT 'planted'"],
      { kind: 'table', name: 'runs' },
    ],
    [
      'an extra column on a strikes table',
      ['ALTER TABLE spans ADD COLUMN planted VARCHAR'],
      { kind: 'table', name: 'spans' },
    ],
    [
      'a generated column',
      ['CREATE TABLE notes (a INTEGER, b INTEGER GENERATED ALWAYS AS (a + 1))'],
      { kind: 'column default', name: 'notes.b' },
    ],
    [
      'a column default on a table of its own',
      ["CREATE TABLE notes (a VARCHAR DEFAULT 'x')"],
      { kind: 'column default', name: 'notes.a' },
    ],
    ['a CHECK constraint', ['CREATE TABLE notes (a INTEGER CHECK (a > 0))'], { kind: 'constraint' }],
    [
      'an expression index',
      ['CREATE INDEX planted ON runs ((lower(name)))'],
      { kind: 'index', name: 'main.planted' },
    ],
    ['a type shadowing json', ['CREATE TYPE json AS VARCHAR'], { kind: 'type', name: 'main.json' }],
    ['a macro shadowing count', ['CREATE MACRO count(x) AS 42'], { kind: 'macro', name: 'main.count' }],
    [
      'a table macro posing as a catalog function, and a macro named =',
      ['CREATE MACRO duckdb_views() AS TABLE SELECT 1 AS x', 'CREATE MACRO "="(a, b) AS true'],
      { kind: 'table macro', name: 'main.duckdb_views' },
    ],
    ['a sequence', ['CREATE SEQUENCE planted'], { kind: 'sequence', name: 'main.planted' }],
    [
      'another schema with a view',
      ['CREATE SCHEMA other', 'CREATE VIEW other.latest_runs AS SELECT 1 AS x'],
      { kind: 'schema', name: 'other' },
    ],
    ['a view of its own', ['CREATE VIEW planted AS SELECT 1 AS x'], { kind: 'view', name: 'planted' }],
    [
      'a strikes view dropped',
      ['DROP VIEW latest_runs'],
      { kind: 'view', name: 'latest_runs', reason: 'missing' },
    ],
  ])('%s', async (name, statements, expected) => {
    const db = await crafted(name.replaceAll(' ', '-'), statements)
    const before = digest(db)
    for (const readOnly of [true, false]) {
      let failure: unknown
      try {
        ;(await openDatabase(db, { readOnly })).close()
      } catch (error) {
        failure = error
      }
      expect(failure, `readOnly: ${readOnly}`).toBeInstanceOf(UntrustedDatabaseError)
      expect((failure as UntrustedDatabaseError).foreign).toContainEqual(expect.objectContaining(expected))
    }
    expect(digest(db)).toBe(before)
  })

  test('a strikes_schema that is a view is refused before it is read', async () => {
    const db = await crafted('schema-view', [
      'DROP TABLE strikes_schema',
      "CREATE VIEW strikes_schema AS SELECT 99 AS version, 'x' AS description, NULL::TIMESTAMP AS applied_at",
    ])
    await expect(openDatabase(db, { readOnly: true })).rejects.toThrow(
      "view strikes_schema: not strikes' definition (a table)",
    )
  })

  test('a table of its own holding only data is tolerated: the file opens for reading and writing', async () => {
    const db = await crafted('plain-table', ['CREATE TABLE annotations (span_id VARCHAR, note VARCHAR)'])
    const reader = await openDatabase(db, { readOnly: true })
    reader.close()
    const writer = await openDatabase(db)
    writer.close()
  })
})
