/**
 * Properties (fast-check) that complement the example tests: serialisation (never throws on hostile
 * objects, order-free for Maps and Sets, flags exactly what it cuts, and round-trips JSON-safe values all
 * the way through the spool into DuckDB), label cleaning, and threshold expressions as plugin options.
 * (test/sdk/serialise.test.ts and test/gate/expression-parser.property.test.ts hold the others.)
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { evaluateThreshold } from '../../reporter/gate/evaluate-threshold.js'
import { parseThreshold, ThresholdParseError } from '../../reporter/gate/expression-parser.js'
import { COMPARATORS } from '../../reporter/gate/threshold-expression.js'
import { openDatabase } from '../../reporter/store/database.js'
import { resolveOptions } from '../../reporter/vitest/options.js'
import { cleanLabel, logOutput, serialiseValue, withRun } from '../../src/index.js'
import { deriveLabel } from '../../src/labels.js'
import { wellFormedJsonText } from '../../src/shared/spool/text-repair.js'
import { ANYTHING } from '../helpers/arbitraries.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'

/** Objects that fight being read: every way a value can throw while it is walked. */
const HOSTILE: readonly (() => unknown)[] = [
  () =>
    new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('ownKeys refuses')
        },
      },
    ),
  () =>
    new Proxy([], {
      get() {
        throw new Error('get refuses')
      },
    }),
  () =>
    Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('getter refuses')
      },
    }),
  () => ({
    toJSON() {
      throw 'toJSON throws a string'
    },
  }),
  () => ({
    toJSON() {
      return { again: { toJSON: () => undefined } }
    },
  }),
  () => {
    const map = new Map<unknown, unknown>()
    map.set(map, map)
    return map
  },
  () => {
    const set = new Set<unknown>()
    set.add(set)
    return set
  },
  () =>
    Object.defineProperty(new Error('bad'), 'cause', {
      enumerable: true,
      get() {
        throw new Error('cause refuses')
      },
    }),
  () => Object.create(Object.create(null) as object) as object,
  () =>
    new Proxy(function target() {}, {
      getPrototypeOf() {
        throw new Error('no prototype')
      },
    }),
]

/** A value with hostile objects planted at random places inside an arbitrary value. */
const hostileValue = fc
  .tuple(fc.anything(ANYTHING), fc.array(fc.nat(HOSTILE.length - 1), { minLength: 1, maxLength: 4 }))
  .map(([value, picks]) => {
    const planted = picks.map((pick) => (HOSTILE[pick] as () => unknown)())
    return { value, planted, nested: [planted, { deeper: planted[0] }] }
  })

describe('serialisation', () => {
  test('never throws and always yields parseable JSON, even for objects whose every access throws', () => {
    fc.assert(
      fc.property(hostileValue, (value) => {
        const result = serialiseValue(value)
        expect(() => JSON.parse(result.json)).not.toThrow()
        expect(serialiseValue(value).json).toBe(result.json)
      }),
      { numRuns: 300 },
    )
  })

  test('Maps and Sets hash the same whatever their insertion order', () => {
    const entries = fc.uniqueArray(fc.tuple(fc.string(), fc.jsonValue()), {
      selector: ([key]) => key,
      maxLength: 8,
    })
    fc.assert(
      fc.property(entries, (pairs) => {
        const reversed = [...pairs].reverse()
        expect(serialiseValue(new Map(reversed)).hash).toBe(serialiseValue(new Map(pairs)).hash)
        const keys = pairs.map(([key]) => key)
        expect(serialiseValue(new Set([...keys].reverse())).hash).toBe(serialiseValue(new Set(keys)).hash)
      }),
    )
  })

  test('a value is flagged truncated exactly when its JSON is larger than maxBytes; the stored text then fits, the hash does not change', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.integer({ min: 64, max: 400 }), (value, maxBytes) => {
        const cut = serialiseValue(value, { maxBytes })
        const full = serialiseValue(value, { maxBytes: Number.MAX_SAFE_INTEGER })
        expect(cut.truncated).toBe(full.sizeBytes > maxBytes)
        expect(cut.hash).toBe(full.hash)
        expect(cut.sizeBytes).toBe(full.sizeBytes)
        if (cut.truncated) expect(Buffer.byteLength(cut.json)).toBeLessThanOrEqual(maxBytes)
        else expect(cut.json).toBe(full.json)
      }),
      { numRuns: 500 },
    )
  })

  test('JSON-safe values round-trip through the spool and DuckDB: objects.value reads back equal (lone surrogates as U+FFFD)', async () => {
    mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
    const db = join(mkdtempSync(join(REPO_ROOT, 'test/.tmp/fuzz-roundtrip-')), 'strikes.duckdb')
    // JSON has no -0: the one JSON-shaped value strikes writes tagged.
    const jsonSafe = fc
      .jsonValue({ maxDepth: 4 })
      .map((value) => JSON.parse(JSON.stringify(value)) as unknown)
    const withSurrogates = fc.oneof(jsonSafe, fc.string({ unit: 'binary' }))
    await fc.assert(
      fc.asyncProperty(fc.array(withSurrogates, { minLength: 1, maxLength: 40 }), async (values) => {
        const run = await withRun({ name: 'roundtrip', project: 'fuzz', db }, async (handle) => {
          for (const [index, value] of values.entries()) logOutput(`v${index}`, value)
          return handle.id
        })
        const database = await openDatabase(db, { readOnly: true })
        try {
          const rows = await database.query<{ name: string; text: string }>(
            `SELECT io.name, o.value::VARCHAR AS text FROM task_io io JOIN objects o USING (run_id, hash)
             WHERE io.run_id = ? ORDER BY io.name`,
            [run],
          )
          expect(rows).toHaveLength(values.length)
          for (const row of rows) {
            const value = values[Number(row.name.slice(1))]
            expect(JSON.parse(row.text)).toStrictEqual(JSON.parse(wellFormedJsonText(JSON.stringify(value))))
          }
        } finally {
          database.close()
        }
      }),
      { numRuns: 8 },
    )
  })
})

describe('label cleaning', () => {
  test('is idempotent, writes only a-z 0-9 _, never starts or ends with _, and keeps every letter and digit in order', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (name) => {
        const label = cleanLabel(name)
        expect(cleanLabel(label)).toBe(label)
        expect(label).toMatch(/^(?:[a-z0-9](?:[a-z0-9_]*[a-z0-9])?)?$/)
        expect(label.replaceAll('_', '')).toBe(name.toLowerCase().replace(/[^a-z0-9]/g, ''))
      }),
      { numRuns: 2000 },
    )
  })

  test('a name is refused, by name, exactly when it cleans to the empty string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (name) => {
        if (cleanLabel(name) === '') {
          expect(() => deriveLabel(name, undefined, 'task "t"')).toThrow(
            `strikes: the name ${JSON.stringify(name)} of task "t" cleans to an empty label`,
          )
        } else {
          expect(deriveLabel(name, undefined, 'task "t"')).toBe(cleanLabel(name))
        }
      }),
      { numRuns: 1000 },
    )
  })
})

describe('threshold expressions as plugin options', () => {
  test('any string is accepted exactly when it parses, else refused with a TypeError naming the key and the column', () => {
    const pieces = fc.constantFrom(
      'avg',
      'p99',
      'pass_rate',
      '>=',
      '<',
      '==',
      ' ',
      '0.8',
      '-1e3',
      'baseline',
      '-',
      '*',
      '%',
      'nan',
      '',
    )
    const source = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.array(pieces, { maxLength: 7 }).map((parts) => parts.join(' ')),
    )
    fc.assert(
      fc.property(source, (expression) => {
        let parses = true
        try {
          parseThreshold(expression)
        } catch (error) {
          expect(error).toBeInstanceOf(ThresholdParseError)
          parses = false
        }
        if (parses) {
          expect(resolveOptions({ thresholds: { 'task.quality': expression } }).thresholds).toEqual({
            'task.quality': [expression],
          })
        } else {
          expect(() => resolveOptions({ thresholds: { 'task.quality': expression } })).toThrow(TypeError)
          expect(() => resolveOptions({ thresholds: { 'task.quality': expression } })).toThrow(
            /key "task\.quality", expression .*column \d+/,
          )
        }
      }),
      { numRuns: 2000 },
    )
  })

  test('comparisons are consistent: >= is > or ==, < is not >=, swapping sides mirrors them, NaN never passes', () => {
    const number = fc.oneof(fc.double(), fc.constantFrom(0, 0.1 + 0.2, 0.3, 1e-12, -0))
    fc.assert(
      fc.property(number, number, (observed, expected) => {
        const holds = (comparator: (typeof COMPARATORS)[number]) =>
          evaluateThreshold(observed, comparator, expected)
        if (Number.isNaN(observed) || Number.isNaN(expected)) {
          for (const comparator of COMPARATORS) expect(holds(comparator)).toBe(false)
          return
        }
        expect(holds('>=')).toBe(holds('>') || holds('=='))
        expect(holds('<')).toBe(!holds('>='))
        expect(holds('>')).toBe(!holds('<='))
        expect(evaluateThreshold(expected, '<=', observed)).toBe(holds('>='))
        expect(evaluateThreshold(expected, '==', observed)).toBe(holds('=='))
      }),
      { numRuns: 2000 },
    )
  })
})
