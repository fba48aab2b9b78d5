/** `strikes report` (a session's HTML report from the database) and `strikes export --parquet`. */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { beforeAll, describe, expect, test } from 'vitest'
import { type RecordedProject, recordedProject, strikes } from './strikes-cli.js'

let recorded: RecordedProject

beforeAll(async () => {
  recorded = await recordedProject()
})

describe('report', () => {
  test('writes the latest session’s report beside the database by default', async () => {
    const result = await strikes(['report'], recorded.project.dir)
    expect(result.code, result.stderr).toBe(0)
    const path = join(recorded.project.dir, '.strikes/report.html')
    expect(result.stdout).toContain(path)
    expect(result.stdout).toContain(recorded.second)
    expect(readFileSync(path, 'utf8')).toContain('<html')
  })

  test('--session and --out choose the session and the file', async () => {
    const result = await strikes(
      ['report', '--session', recorded.first.slice(0, 8), '--out', 'out/first.html'],
      recorded.project.dir,
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(recorded.first)
    expect(existsSync(join(recorded.project.dir, 'out/first.html'))).toBe(true)
  })

  test('an unknown session fails with exit 2', async () => {
    const result = await strikes(['report', '--session', 'nope-nope'], recorded.project.dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('nope-nope')
  })
})

describe('export', () => {
  test('--snapshot writes one Parquet file per table, readable by DuckDB', async () => {
    const result = await strikes(['export', '--snapshot', 'parquet'], recorded.project.dir)
    expect(result.code, result.stderr).toBe(0)
    const dir = join(recorded.project.dir, 'parquet')
    const files = readdirSync(dir)
    for (const table of [
      'sessions',
      'runs',
      'spans',
      'metrics',
      'run_metrics',
      'objects',
      'task_io',
      'gates',
    ]) {
      expect(files).toContain(`${table}.parquet`)
    }
    const instance = await DuckDBInstance.create(':memory:')
    const connection = await instance.connect()
    try {
      const reader = await connection.runAndReadAll(
        `SELECT count(*) AS n FROM read_parquet('${join(dir, 'runs.parquet')}')`,
      )
      expect(reader.getRowObjectsJS()).toEqual([{ n: 4n }])
    } finally {
      connection.closeSync()
      instance.closeSync()
    }
  })
})
