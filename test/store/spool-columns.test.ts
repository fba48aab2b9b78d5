/**
 * The spool format's one list of fields per record kind agrees with everything derived from it: the line
 * encoders write exactly those fields, `read_json` reads each field with one type, and ingest fills
 * every column of every table the spool feeds, as the migrated schema declares them.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { recordColumns, tableSources } from '../../reporter/store/spool-tables.js'
import { duckdbType, RECORD_KINDS, type RecordKind } from '../../src/shared/spool/format.js'
import { compileLineEncoders } from '../../src/shared/spool/lines.js'

const dir = mkdtempSync(join(tmpdir(), 'strikes-spool-columns-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A value of each field type, as a record holds it. */
const SAMPLE: Record<string, unknown> = {
  id: 'abc123',
  text: 'a "quoted"\nline',
  texts: ['x', 'y'],
  number: 1.5,
  integer: 7,
  micros: 1_767_261_600_000_000,
  boolean: true,
  object: { model: 'm' },
  json: '{"answer":42}',
}

const encoders = compileLineEncoders((value) => JSON.stringify(value))

describe('the spool format is the one list of columns', () => {
  test.each(Object.keys(RECORD_KINDS) as RecordKind[])(
    'the %s encoder writes its tag and exactly its fields',
    (kind) => {
      const spec = RECORD_KINDS[kind]
      const record = Object.fromEntries(
        Object.entries(spec.fields).map(([name, field]) => [name, SAMPLE[field.type]]),
      )
      const encode = encoders[kind] as (record: unknown) => string
      const line = JSON.parse(encode(record)) as Record<string, unknown>
      expect(Object.keys(line)).toEqual(['t', ...Object.keys(spec.fields)])
      expect(line.t).toBe(spec.tag)
      for (const [name, field] of Object.entries(spec.fields)) {
        const expected = field.type === 'json' ? JSON.parse(SAMPLE.json as string) : SAMPLE[field.type]
        expect(line[name]).toEqual(expected)
      }
    },
  )

  test('optional fields left undefined are left out of the line, and nullable ones are written as null', () => {
    const line = JSON.parse(
      encoders.taskIo({ span_id: null, direction: 'input', name: 'text', hash: 'h' }),
    ) as Record<string, unknown>
    expect(line).toEqual({ t: 'i', span_id: null, direction: 'input', name: 'text', hash: 'h' })
  })

  test('every kind has its own tag, and a field has one DuckDB type in every kind that has it', () => {
    const tags = Object.values(RECORD_KINDS).map((kind) => kind.tag)
    expect(new Set(tags).size).toBe(tags.length)
    const columns = recordColumns()
    for (const kind of Object.values(RECORD_KINDS)) {
      for (const [name, field] of Object.entries(kind.fields))
        expect(columns[name]).toBe(duckdbType(field.type))
    }
  })

  test('ingest fills exactly the columns of each table the spool feeds, as the migrated schema has them', async () => {
    const database = await openDatabase(join(dir, 'schema.duckdb'))
    try {
      for (const [table, { sources }] of tableSources()) {
        const rows = await database.query<{ column_name: string }>(
          `SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY column_name`,
          [table],
        )
        const schema = rows.map((row) => row.column_name)
        for (const source of sources) {
          const written = ['run_id', ...source.columns.map(([column]) => column)].sort()
          expect({ table, tag: source.tag, columns: written }).toEqual({
            table,
            tag: source.tag,
            columns: schema,
          })
        }
      }
    } finally {
      database.close()
    }
  })
})
