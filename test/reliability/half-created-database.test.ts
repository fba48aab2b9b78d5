/**
 * A database left empty or half-written by a failed first write (a full disk, a killed process) is
 * strikes' own leftover when strikes' creation marker (`<db>.creating`) is beside it: the next session
 * creates the database afresh with a warning — an empty file is removed, a half-written one is kept aside
 * — instead of refusing every session until someone deletes it. Without the marker, a file strikes did not
 * create is never touched. Full disks are real: a small tmpfs (mounting needs root; the tests say so when
 * they skip).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { fixtureProject, query } from '../helpers/fixture-project.js'
import { canMountTmpfs, mountTmpfs, NO_TMPFS } from './tmpfs.js'

describe('a database strikes could not finish creating', () => {
  test('an empty file with strikes’ creation marker: created afresh, with a notice, and the marker removed', async () => {
    const dir = fixtureProject(undefined).dir
    const db = join(dir, 'strikes.duckdb')
    writeFileSync(db, '')
    writeFileSync(`${db}.creating`, '{}')
    const database = await openDatabase(db)
    try {
      expect(database.notices).toEqual([
        `strikes: ${db} was left empty by an earlier session that could not finish creating it (a full disk or a stopped process); it held nothing and was created afresh`,
      ])
      expect(await database.query('SELECT count(*)::INTEGER AS n FROM sessions')).toEqual([{ n: 0 }])
    } finally {
      database.close()
    }
    expect(existsSync(`${db}.creating`)).toBe(false)
  })

  test('a half-written file on a disk that filled up: kept aside byte for byte, the database created afresh once there is room', async (context) => {
    if (!canMountTmpfs()) context.skip(NO_TMPFS)
    const device = mountTmpfs('size=8k')
    try {
      const db = join(device.dir, 'strikes.duckdb')
      await expect(openDatabase(db)).rejects.toThrow('No space left on device')
      const left = readFileSync(db)
      expect(left.length).toBeGreaterThan(0)
      expect(existsSync(`${db}.creating`)).toBe(true)
      device.remount('size=16m')
      const database = await openDatabase(db)
      const notices = database.notices
      database.close()
      expect(notices).toEqual([
        expect.stringContaining(`strikes: ${db} was left half-written by an earlier session`),
      ])
      const aside = readdirSync(device.dir).find((name) => name.startsWith('strikes.duckdb.broken-'))
      expect(aside).toBeDefined()
      expect(notices[0]).toContain(`it was moved to ${join(device.dir, aside ?? '')}`)
      expect(readFileSync(join(device.dir, aside ?? '')).equals(left)).toBe(true)
      expect(existsSync(`${db}.creating`)).toBe(false)
    } finally {
      device.unmount()
    }
  })

  test('a full disk at the first session: the next session recreates the database, ingests the first session’s runs and gates them', async (context) => {
    if (!canMountTmpfs()) context.skip(NO_TMPFS)
    const project = fixtureProject('reliability-store')
    const device = mountTmpfs('size=4k')
    try {
      const db = join(device.dir, 'strikes.duckdb')
      // The spool lives on the ordinary disk; only the database's disk is full.
      const spool = join(project.dir, 'spool')
      mkdirSync(spool)
      symlinkSync(spool, `${db}.spool`)
      const env = { STORE_DB: db, STORE_REPORT: 'false', STORE_GATE: 'avg >= 0' }
      const full = await project.vitest(['--reporter=strikes'], { env })
      expect(full.code).toBe(1)
      expect(full.stdout + full.stderr).toContain(`strikes: cannot open the database ${db}`)
      expect(full.stdout + full.stderr).toContain('No space left on device')
      expect(readFileSync(db)).toHaveLength(0)

      device.remount('size=16m')
      const next = await project.vitest(['--reporter=strikes'], { env })
      expect(next.code, next.stdout + next.stderr).toBe(0)
      expect(next.stdout + next.stderr).toContain(
        `strikes: ${db} was left empty by an earlier session that could not finish creating it`,
      )
      const sessions = await query<{ status: string; gate_passed: boolean; runs: bigint }>(
        db,
        `SELECT s.status, s.gate_passed, (SELECT count(*) FROM runs r WHERE r.session_id = s.session_id) AS runs
         FROM sessions s ORDER BY s.seq`,
      )
      expect(sessions).toEqual([
        { status: 'passed', gate_passed: true, runs: 1n },
        { status: 'passed', gate_passed: true, runs: 1n },
      ])
    } finally {
      device.unmount()
    }
  })
})
