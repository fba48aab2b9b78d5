/**
 * Database files strikes must not write into — newer than this strikes, another application's DuckDB
 * file whose tables clash, a directory, a corrupt DuckDB file — recorded through `withRun({ db })`, which
 * ingests like the reporter. Each: the file is left as it was, the run stays in the spool, and the error
 * says what is wrong and where the run is kept.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { describe, expect, test } from 'vitest'
import { SCHEMA_VERSION } from '../../reporter/store/schema.js'
import { evalTask, withRun } from '../../src/index.js'
import { runFolders } from '../../src/shared/spool/reader.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'

const echo = evalTask(async function echo(text: string) {
  return text
})

function scratch(prefix: string): string {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  return mkdtempSync(join(REPO_ROOT, `test/.tmp/${prefix}-`))
}

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** Records one run into `db`; returns the error `withRun` rejected with. */
async function recordInto(db: string): Promise<Error> {
  try {
    await withRun({ name: 'store-fault', project: 'reliability', db }, async () => {
      await echo('kept')
    })
  } catch (error) {
    return error as Error
  }
  throw new Error('withRun was expected to fail')
}

/** Run folders left in the spool beside `db`. */
function keptRuns(db: string): string[] {
  const spool = `${db}.spool`
  return runFolders(spool).flatMap((session) => runFolders(session))
}

async function createDuckDB(path: string, statements: string[]): Promise<void> {
  const instance = await DuckDBInstance.create(path)
  const connection = await instance.connect()
  for (const statement of statements) await connection.run(statement)
  connection.closeSync()
  instance.closeSync()
}

describe('a database file strikes cannot write into is left as it was, and the run stays in the spool', () => {
  test('a database of a newer schema version: refused with "upgrade strikes"', async () => {
    const db = join(scratch('store-newer'), 'strikes.duckdb')
    await createDuckDB(db, [
      'CREATE TABLE strikes_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)',
      `INSERT INTO strikes_schema VALUES (${SCHEMA_VERSION + 1}, 'from the future', current_timestamp::TIMESTAMP)`,
    ])
    const before = digest(db)
    const error = await recordInto(db)
    expect(error.message).toContain(
      `strikes: ${db} has schema version ${SCHEMA_VERSION + 1}, newer than this strikes (${SCHEMA_VERSION}); upgrade strikes`,
    )
    expect(error.message).toContain(`the runs' records are kept in ${db}.spool/`)
    expect(digest(db)).toBe(before)
    expect(keptRuns(db)).toHaveLength(1)
  })

  test("another application's DuckDB file whose table clashes: the migration fails naming it, and adds nothing", async () => {
    const db = join(scratch('store-foreign'), 'analytics.duckdb')
    await createDuckDB(db, [
      'CREATE TABLE runs (id INTEGER, distance_km DOUBLE)',
      'INSERT INTO runs VALUES (1, 5.2), (2, 10.0)',
    ])
    const error = await recordInto(db)
    expect(error.message).toContain(`strikes: migrating ${db} to schema version 1 failed`)
    expect(error.message).toMatch(/runs/)
    expect(keptRuns(db)).toHaveLength(1)
    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' })
    try {
      const connection = await instance.connect()
      const tables = (
        await connection.runAndReadAll('SELECT table_name FROM information_schema.tables')
      ).getRowObjectsJS()
      expect(tables).toEqual([{ table_name: 'runs' }])
      const rows = (await connection.runAndReadAll('SELECT * FROM runs ORDER BY id')).getRowObjectsJS()
      expect(rows).toEqual([
        { id: 1, distance_km: 5.2 },
        { id: 2, distance_km: 10 },
      ])
      connection.closeSync()
    } finally {
      instance.closeSync()
    }
  })

  test('a directory at the database path: refused as "not a DuckDB database"', async () => {
    const db = join(scratch('store-directory'), 'strikes.duckdb')
    mkdirSync(db)
    const error = await recordInto(db)
    expect(error.name).toBe('NotDuckDBError')
    expect(error.message).toContain(`strikes: ${db} is not a DuckDB database (it is a directory or a device)`)
    expect(keptRuns(db)).toHaveLength(1)
  })

  test('a corrupt DuckDB file (right magic bytes, broken blocks): DuckDB’s reason is given and the file is untouched', async () => {
    const db = join(scratch('store-corrupt'), 'strikes.duckdb')
    const corrupt = Buffer.alloc(3 * 4096, 7)
    corrupt.write('DUCK', 8, 'latin1')
    writeFileSync(db, corrupt)
    const error = await recordInto(db)
    expect(error.message).toContain(`strikes: cannot open the database ${db}`)
    expect(error.message).toMatch(/Corrupt database file|not a valid DuckDB database/)
    expect(readFileSync(db).equals(corrupt)).toBe(true)
    expect(keptRuns(db)).toHaveLength(1)
  })

  test('an empty file at the database path (a process stopped as it created the database): refused with what to do', async () => {
    const db = join(scratch('store-empty'), 'strikes.duckdb')
    writeFileSync(db, '')
    const error = await recordInto(db)
    expect(error.name).toBe('NotDuckDBError')
    expect(error.message).toContain(`strikes: ${db} is an empty file, not a DuckDB database`)
    expect(error.message).toContain('Remove it and strikes creates the database afresh')
    expect(readFileSync(db)).toHaveLength(0)
    expect(keptRuns(db)).toHaveLength(1)
  })
})
