/** `strikes query`: SQL on a read-only connection, printed as a table, JSON or CSV; DuckDB's own errors, exit 2. */
import { beforeAll, describe, expect, test } from 'vitest'
import { query } from '../helpers/fixture-project.js'
import { lines, type RecordedProject, recordedProject, strikes } from './strikes-cli.js'

let recorded: RecordedProject

beforeAll(async () => {
  recorded = await recordedProject()
})

const SQL = `SELECT r.name, m.count, m.avg FROM metric_summary m JOIN runs r USING (run_id)
  WHERE r.session_id = (SELECT session_id FROM sessions ORDER BY started_at LIMIT 1) ORDER BY r.name`

describe('output formats', () => {
  test('the default is an aligned table with the column names and a row count', async () => {
    const result = await strikes(['query', SQL], recorded.project.dir)
    expect(result.code).toBe(0)
    const [header, , ...rows] = lines(result.stdout)
    expect(header?.split(/\s+/)).toEqual(['name', 'count', 'avg'])
    expect(rows.join('\n')).toContain('summarize.eval.ts')
    expect(rows.at(-1)).toBe('(2 rows)')
  })

  test('--json prints an array of row objects with integers as numbers', async () => {
    const result = await strikes(['query', SQL, '--json'], recorded.project.dir)
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([
      { name: 'classify.eval.ts', count: 4, avg: 0.75 },
      { name: 'summarize.eval.ts', count: 3, avg: expect.closeTo(0.9, 10) },
    ])
  })

  test('--csv prints a header line and quotes fields that need it; NULL is empty', async () => {
    const result = await strikes(
      ['query', `SELECT 'a,b' AS text, NULL AS nothing, 'say "hi"' AS quoted`, '--csv'],
      recorded.project.dir,
    )
    expect(result.code).toBe(0)
    // Every record ends with CRLF (RFC 4180), the last one too.
    expect(lines(result.stdout)).toEqual(['text,nothing,quoted\r', '"a,b",,"say ""hi"""\r'])
  })

  test('--db points at another database file, relative to the working directory', async () => {
    const result = await strikes([
      'query',
      'SELECT count(*) AS n FROM sessions',
      '--json',
      '--db',
      recorded.project.db,
    ])
    expect(JSON.parse(result.stdout)).toEqual([{ n: 2 }])
  })

  test('SQL that starts with a -- comment is SQL, not an option', async () => {
    const result = await strikes(
      ['query', '-- how many runs?\nSELECT count(*) AS n FROM runs', '--json'],
      recorded.project.dir,
    )
    expect(result.code, result.stderr).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([{ n: 4 }])
  })
})

describe('errors', () => {
  test("bad SQL fails with DuckDB's own message on one line, exit 2", async () => {
    const result = await strikes(['query', 'SELEC * FROM runs'], recorded.project.dir)
    expect(result.code).toBe(2)
    expect(lines(result.stderr)).toHaveLength(1)
    expect(result.stderr).toContain('Parser Error')
    expect(result.stderr).toContain('SELEC')
  })

  test('an unknown table fails with the catalog error, exit 2', async () => {
    const result = await strikes(['query', 'SELECT * FROM nope'], recorded.project.dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('nope')
  })

  test('the connection is read-only: writes are refused and nothing changes', async () => {
    const result = await strikes(['query', 'DELETE FROM runs'], recorded.project.dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('read-only')
    const runs = await query<{ n: bigint }>(recorded.project.db, 'SELECT count(*) AS n FROM runs')
    expect(runs[0]?.n).toBe(4n)
  })
})
