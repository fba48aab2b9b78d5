/**
 * Opening the database: another process's lock is waited for with exponential backoff (the waits are
 * observed, not inferred from a sleep), and each migration is its own transaction — one that fails leaves
 * the earlier ones committed and nothing of itself.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import {
  attachDatabase,
  type LockWait,
  migrate,
  openDatabase,
  UntrustedDatabaseError,
} from '../../reporter/store/database.js'
import { MIGRATIONS, SCHEMA_VERSION } from '../../reporter/store/schema.js'
import { REPO_ROOT, runSql } from '../helpers/fixture-project.js'

function scratch(prefix: string): string {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  return mkdtempSync(join(REPO_ROOT, `test/.tmp/${prefix}-`))
}

/** Holds `db` open (locked) in another process for `ms`; resolves once the lock is held. */
async function holdInAnotherProcess(db: string, ms: number): Promise<{ done: Promise<void>; pid: number }> {
  const script = `
    import { DuckDBInstance } from '@duckdb/node-api'
    const instance = await DuckDBInstance.create(${JSON.stringify(db)})
    const connection = await instance.connect()
    process.stdout.write('locked\\n')
    setTimeout(() => { connection.closeSync(); instance.closeSync() }, ${ms})`
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve()
    })
    child.on('error', reject)
    child.on('exit', () => reject(new Error('the lock holder exited early')))
  })
  const done = new Promise<void>((resolve) => child.on('close', () => resolve()))
  return { done, pid: child.pid ?? 0 }
}

describe('another process holds the lock', () => {
  test('the open waits with exponential backoff (each wait 1–2 times 25 ms, doubling to 1 s), naming the holder, and opens once the lock is released', async () => {
    const db = join(scratch('open-backoff'), 'strikes.duckdb')
    ;(await openDatabase(db)).close()
    const holder = await holdInAnotherProcess(db, 2_500)
    const waits: LockWait[] = []
    const started = Date.now()
    const database = await openDatabase(db, { lockTimeoutMs: 60_000, onLockWait: (wait) => waits.push(wait) })
    const waited = Date.now() - started
    database.close()
    await holder.done
    expect(waited).toBeGreaterThanOrEqual(1_000)
    expect(waits.length).toBeGreaterThanOrEqual(3)
    for (const [index, wait] of waits.entries()) {
      const base = Math.min(25 * 2 ** index, 1_000)
      expect(wait.attempt).toBe(index + 1)
      expect(wait.delayMs).toBeGreaterThanOrEqual(base)
      expect(wait.delayMs).toBeLessThanOrEqual(2 * base)
      expect(wait.reason).toContain(`(PID ${holder.pid})`)
    }
  })

  test('past lockTimeoutMs the open fails with how long it waited and the holder', async () => {
    const db = join(scratch('open-timeout'), 'strikes.duckdb')
    ;(await openDatabase(db)).close()
    const holder = await holdInAnotherProcess(db, 3_000)
    let failure: Error | undefined
    try {
      ;(await openDatabase(db, { lockTimeoutMs: 400 })).close()
    } catch (error) {
      failure = error as Error
    }
    await holder.done
    expect(failure?.name).toBe('DatabaseLockedError')
    expect(failure?.message).toContain(
      `strikes: the database ${db} stayed locked by another process for 400 ms`,
    )
    expect(failure?.message).toContain(`(PID ${holder.pid})`)
  })
})

describe('migrations', () => {
  test('each migration is its own transaction: a failing one leaves the earlier ones committed and none of its own statements', async () => {
    const db = join(scratch('open-migrations'), 'strikes.duckdb')
    const database = await openDatabase(db)
    try {
      let failure: Error | undefined
      try {
        await migrate(database, SCHEMA_VERSION, [
          {
            version: SCHEMA_VERSION + 1,
            description: 'first',
            statements: ['CREATE TABLE first_table (x INTEGER)'],
          },
          {
            version: SCHEMA_VERSION + 2,
            description: 'second',
            // Its second statement fails (the table exists): its first must not stay.
            statements: ['CREATE TABLE second_table (x INTEGER)', 'CREATE TABLE first_table (x INTEGER)'],
          },
        ])
      } catch (error) {
        failure = error as Error
      }
      expect(failure?.message).toContain(
        `strikes: migrating ${db} to schema version ${SCHEMA_VERSION + 2} failed`,
      )
      const tables = await database.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('first_table', 'second_table')`,
      )
      expect(tables).toEqual([{ table_name: 'first_table' }])
      const versions = await database.query<{ version: number }>(
        'SELECT version FROM strikes_schema WHERE version > ? ORDER BY version',
        [SCHEMA_VERSION],
      )
      expect(versions).toEqual([{ version: SCHEMA_VERSION + 1 }])
    } finally {
      database.close()
    }
  })
})

describe('attachDatabase: a second database read under the same trust rule', () => {
  async function strikesFile(dir: string, name: string, extra: readonly string[] = []): Promise<string> {
    const path = join(dir, name)
    const database = await openDatabase(path)
    try {
      await database.run(
        `INSERT INTO sessions (session_id, started_at, status, strikes_version, root, seq)
         VALUES ('${name}', now()::TIMESTAMP, 'passed', 'test', '/x', 1)`,
      )
    } finally {
      database.close()
    }
    if (extra.length > 0) {
      // As an attacker would, with DuckDB's defaults.
      await runSql(path, extra)
    }
    return path
  }

  const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

  test('a strikes file in an allowed folder is attached read-only and its tables read; its schema version is returned', async () => {
    const dir = scratch('attach-good')
    const shard = await strikesFile(dir, 'shard.duckdb')
    const before = digest(shard)
    const target = await openDatabase(join(dir, 'target.duckdb'), { allowedDirectories: [dir] })
    try {
      expect(await attachDatabase(target, shard, 'shard')).toBe(SCHEMA_VERSION)
      expect(await target.query('SELECT session_id FROM shard.main.sessions')).toEqual([
        { session_id: 'shard.duckdb' },
      ])
      await expect(target.run(`DELETE FROM shard.main.sessions`)).rejects.toThrow(/read-only/i)
    } finally {
      target.close()
    }
    expect(digest(shard)).toBe(before)
  })

  test('a crafted file (a macro shadowing isnan) is refused naming it, detached, and left unchanged', async () => {
    const dir = scratch('attach-crafted')
    const shard = await strikesFile(dir, 'crafted.duckdb', ['CREATE MACRO isnan(x) AS x = 0'])
    const before = digest(shard)
    const target = await openDatabase(join(dir, 'target.duckdb'), { allowedDirectories: [dir] })
    try {
      const refused = attachDatabase(target, shard, 'shard')
      await expect(refused).rejects.toBeInstanceOf(UntrustedDatabaseError)
      await expect(refused).rejects.toThrow('macro main.isnan: not created by strikes')
      expect(
        await target.query(`SELECT database_name FROM system.main.duckdb_databases() WHERE NOT internal`),
      ).toEqual([{ database_name: 'target' }])
    } finally {
      target.close()
    }
    expect(digest(shard)).toBe(before)
  })

  test('a file outside the allowed folders cannot be attached: external access stays off', async () => {
    const dir = scratch('attach-outside')
    const shard = await strikesFile(scratch('attach-elsewhere'), 'shard.duckdb')
    const target = await openDatabase(join(dir, 'target.duckdb'), { allowedDirectories: [dir] })
    try {
      await expect(attachDatabase(target, shard, 'shard')).rejects.toThrow(
        `strikes: cannot attach the database ${shard}: Permission Error`,
      )
    } finally {
      target.close()
    }
  })
})

describe('a file whose schema skips a migration (a development build)', () => {
  test('is refused naming the missing migration, and left untouched', async () => {
    const db = join(scratch('skipped-migration'), 'strikes.duckdb')
    // The one before the last: the file then has the newest version without it.
    const skipped = MIGRATIONS[MIGRATIONS.length - 2]
    if (skipped === undefined) throw new Error('not enough migrations to skip one')
    const database = await openDatabase(db)
    await database.run('DELETE FROM strikes_schema WHERE version = ?', [skipped.version])
    database.close()
    const before = createHash('sha256').update(readFileSync(db)).digest('hex')
    await expect(openDatabase(db)).rejects.toThrow(
      `strikes: ${db} has schema version ${SCHEMA_VERSION} without migration ${skipped.version} (${skipped.description})`,
    )
    await expect(openDatabase(db, { readOnly: true })).rejects.toThrow('it was left untouched')
    expect(createHash('sha256').update(readFileSync(db)).digest('hex')).toBe(before)
  })
})
