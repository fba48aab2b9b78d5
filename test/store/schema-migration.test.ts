/** Forward migrations: a database written at schema version 1 opens and gains the `gates` table (version 2). */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { expect, it } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { MIGRATIONS, SCHEMA_VERSION } from '../../reporter/store/schema.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'

async function databaseAtVersion1(): Promise<string> {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  const path = join(mkdtempSync(join(REPO_ROOT, 'test/.tmp/schema-v1-')), 'strikes.duckdb')
  const instance = await DuckDBInstance.create(path)
  const connection = await instance.connect()
  const first = MIGRATIONS.find((migration) => migration.version === 1)
  if (first === undefined) throw new Error('migration 1 is missing')
  await connection.run(
    'CREATE TABLE strikes_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)',
  )
  for (const statement of first.statements) await connection.run(statement)
  await connection.run(`INSERT INTO strikes_schema VALUES (1, 'v1', current_timestamp::TIMESTAMP)`)
  await connection.run(`INSERT INTO sessions (session_id, status) VALUES ('old-session', 'passed')`)
  connection.closeSync()
  instance.closeSync()
  return path
}

it('a schema-1 database migrates to the current version, keeps its rows and gains gates', async () => {
  expect(SCHEMA_VERSION).toBeGreaterThanOrEqual(2)
  const path = await databaseAtVersion1()
  const database = await openDatabase(path)
  try {
    const versions = await database.query<{ version: number }>(
      'SELECT version FROM strikes_schema ORDER BY version',
    )
    expect(versions.map((row) => row.version)).toEqual(MIGRATIONS.map((migration) => migration.version))
    const sessions = await database.query<{ session_id: string }>('SELECT session_id FROM sessions')
    expect(sessions).toEqual([{ session_id: 'old-session' }])
    const columns = await database.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'gates' ORDER BY ordinal_position`,
    )
    expect(columns.map((row) => row.column_name)).toEqual(
      expect.arrayContaining([
        'session_id',
        'run_id',
        'key',
        'expression',
        'observed',
        'expected',
        'baseline_session_id',
        'verdict',
        'message',
      ]),
    )
  } finally {
    database.close()
  }
  // Opening again applies nothing twice.
  const again = await openDatabase(path)
  try {
    const count = await again.query<{ n: bigint }>('SELECT count(*) AS n FROM strikes_schema')
    expect(Number(count[0]?.n)).toBe(MIGRATIONS.length)
  } finally {
    again.close()
  }
})
