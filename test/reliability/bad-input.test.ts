/**
 * The bad input matrix, recorded through a real `vitest run --reporter=strikes` of the
 * `reliability-inputs` fixture: values of every awkward JavaScript kind, throws of non-Errors, scorers
 * returning garbage, bad metric names, labels that clean to nothing and options of the wrong type — with
 * secret-looking environment variables set for the whole session. For each case: the run completes, the
 * record is in DuckDB (truncated and flagged where needed), and the user is told what went wrong by name.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import {
  AWKWARD_VALUES,
  type AwkwardCase,
} from '../../fixtures/projects/reliability-inputs/awkward-values.js'
import { type FixtureProject, fixtureProject, query, type RunResult } from '../helpers/fixture-project.js'
import { spoolRunFolders } from './vitest-process.js'

/** Secret-looking variables in the `vitest` process's environment; none is logged by the fixture. */
const SECRETS = {
  OPENAI_API_KEY: 'sk-live-reliability-7f3a9c',
  GITHUB_TOKEN: 'ghp_reliability_2b8e61d4',
  STRIPE_WEBHOOK_SECRET: 'whsec_reliability_c0ffee',
}
/** A secret-looking variable the fixture logs explicitly with `logParam`. */
const EXPLICIT = { STRIKES_EXPLICIT_TOKEN: 'tok_logged_on_purpose_51d2' }

let project: FixtureProject
let result: RunResult
let output: string

beforeAll(async () => {
  project = fixtureProject('reliability-inputs')
  result = await project.vitest(['--reporter=strikes'], { env: { ...SECRETS, ...EXPLICIT } })
  output = result.stdout + result.stderr
}, 180_000)

function sql(text: string): string {
  return text.replaceAll("'", "''")
}

/** Rows of a run's spans with the given kind. */
async function spans(
  run: string,
  kind: 'task' | 'test',
): Promise<{ name: string; status: string; error: string | null }[]> {
  return query(
    project.db,
    `SELECT s.name, s.status, s.error FROM spans s JOIN runs r USING (run_id)
     WHERE r.name = '${sql(run)}' AND s.kind = '${kind}' ORDER BY s.name`,
  )
}

test('the session completes: every eval file is a run in the database, and the report is written', async () => {
  // Exit 1: labels.eval.ts fails its tests on purpose (each names a bad label or option).
  expect(result.code, output).toBe(1)
  const runs = await query<{ name: string; status: string }>(
    project.db,
    'SELECT name, status FROM runs ORDER BY name',
  )
  expect(runs).toEqual([
    { name: 'labels.eval.ts', status: 'failed' },
    { name: 'names.eval.ts', status: 'passed' },
    { name: 'scorers.eval.ts', status: 'passed' },
    { name: 'secrets.eval.ts', status: 'passed' },
    { name: 'throws.eval.ts', status: 'passed' },
    { name: 'values.eval.ts', status: 'passed' },
  ])
  // Every run was ingested: nothing is left in the spool.
  expect(spoolRunFolders(`${project.db}.spool`)).toEqual([])
  const html = readFileSync(join(project.dir, '.strikes/report.html'), 'utf8')
  expect(html).toContain('values.eval.ts')
  expect(html).not.toMatch(/<script/i)
})

/** How each awkward value must read back from `objects.value`, and whether it is flagged truncated. */
interface StoredForm {
  readonly truncated: boolean
  /** The stored JSON, parsed. */
  readonly value?: unknown
  /** Checks on the stored JSON text and its `size_bytes`, where an exact value does not fit. */
  readonly check?: (text: string, sizeBytes: number) => void
}

const STORED = {
  circular: { truncated: false, value: { name: 'root', self: { $ref: '$' } } },
  bigint: { truncated: false, value: { $bigint: '12345678901234567890' } },
  map: {
    truncated: false,
    value: {
      $map: [
        ['a', 1],
        ['b', 2],
      ],
    },
  },
  set: { truncated: false, value: { $set: ['one', 2] } },
  date: { truncated: false, value: { $date: '2024-01-02T03:04:05.678Z' } },
  invalid_date: { truncated: false, value: { $date: 'Invalid Date' } },
  error_with_cause: {
    truncated: false,
    check: (text) => {
      const { $error: error } = JSON.parse(text) as {
        $error: {
          name: string
          message: string
          stack: string
          cause: { $error: { name: string; message: string } }
        }
      }
      expect(error).toMatchObject({ name: 'Error', message: 'outer' })
      expect(error.stack).toContain('Error: outer')
      expect(error.cause.$error).toMatchObject({ name: 'TypeError', message: 'inner' })
    },
  },
  float32array: { truncated: false, value: { $typedarray: 'Float32Array', data: [1.5, -2] } },
  bigint64array: {
    truncated: false,
    value: { $typedarray: 'BigInt64Array', data: [{ $bigint: '1' }, { $bigint: '-2' }] },
  },
  buffer: { truncated: false, value: { $buffer: Buffer.from('héllo').toString('base64') } },
  arraybuffer: { truncated: false, value: { $arraybuffer: Buffer.from([1, 2, 255]).toString('base64') } },
  getter_that_throws: {
    truncated: false,
    value: { $class: 'Account', balance: { $throws: 'Error: balance is locked' }, owner: 'ada' },
  },
  // What could not be read is stored as a marker, so the stored value is not the whole value: flagged.
  proxy_that_throws: { truncated: true, value: { $unserialisable: 'Error: proxy refuses' } },
  to_json_that_throws: { truncated: true, value: { $unserialisable: 'Error: toJSON refuses' } },
  function: { truncated: false, value: { $function: 'namedFunction' } },
  symbol: { truncated: false, value: { $symbol: 'sym' } },
  undefined: { truncated: false, value: { $undefined: true } },
  nan: { truncated: false, value: { $number: 'NaN' } },
  negative_zero: { truncated: false, value: { $number: '-0' } },
  infinity: { truncated: false, value: { $number: '-Infinity' } },
  sparse_array: { truncated: false, value: [1, { $undefined: true }, 3] },
  null_prototype: { truncated: false, value: { a: 2, b: 1 } },
  proto_key: {
    truncated: false,
    check: (text) => {
      expect(text.replaceAll(' ', '')).toBe('{"__proto__":{"polluted":true},"ok":1}')
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    },
  },
  nesting_2_16_deep: {
    truncated: true,
    check: (text) => {
      let depth = 0
      let node = JSON.parse(text) as { next?: unknown }
      while (typeof node.next === 'object' && node.next !== null) {
        node = node.next as { next?: unknown }
        depth += 1
      }
      expect(node).toEqual({ $truncated: 'depth' })
      expect(depth).toBe(128)
    },
  },
  lone_surrogates: { truncated: false, value: 'high \uFFFD low \uFFFD pair 😀' },
  nul_bytes: { truncated: false, value: 'a\u0000b\u0000' },
  fifty_megabytes: {
    truncated: true,
    check: (text, sizeBytes) => {
      const fullSize = 50 * 1024 * 1024 + 2
      expect(sizeBytes).toBe(fullSize)
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(1024 * 1024)
      const stored = JSON.parse(text) as { $truncated: { size_bytes: number; preview: string } }
      expect(stored.$truncated.size_bytes).toBe(fullSize)
      expect(stored.$truncated.preview).toMatch(/^"x{100000,}$/)
    },
  },
} as const satisfies Record<AwkwardCase, StoredForm>

interface StoredValue {
  direction: string
  name: string
  text: string
  size_bytes: bigint
  truncated: boolean
}

describe('awkward values given to a task and returned by it are stored, never lost', () => {
  test.each(Object.keys(AWKWARD_VALUES) as AwkwardCase[])('%s', async (name) => {
    const rows = await query<StoredValue>(
      project.db,
      `SELECT io.direction, io.name, o.value::VARCHAR AS text, o.size_bytes, o.truncated
       FROM spans s JOIN runs r USING (run_id) JOIN task_io io USING (run_id, span_id)
       JOIN objects o ON o.run_id = io.run_id AND o.hash = io.hash
       WHERE r.name = 'values.eval.ts' AND s.kind = 'task' AND s.label = '${name}' ORDER BY io.direction`,
    )
    const form: StoredForm = STORED[name]
    const outputName = name === 'proxy_that_throws' ? 'proxy' : 'output'
    const logged = rows.filter((row) => row.direction === 'input' || row.name === outputName)
    expect(logged.map((row) => `${row.direction} ${row.name}`)).toEqual([
      'input value',
      `output ${outputName}`,
    ])
    for (const row of logged) {
      expect(row.truncated, `${row.direction} truncated`).toBe(form.truncated)
      if (form.value !== undefined) expect(JSON.parse(row.text)).toStrictEqual(form.value)
      form.check?.(row.text, Number(row.size_bytes))
    }
    const [span] = await query<{ status: string }>(
      project.db,
      `SELECT s.status FROM spans s JOIN runs r USING (run_id) WHERE r.name = 'values.eval.ts' AND s.label = '${name}'`,
    )
    expect(span?.status).toBe('ok')
  })

  test('awkward run parameters are stored canonically', async () => {
    const [run] = await query<{ params: string }>(
      project.db,
      `SELECT params::VARCHAR AS params FROM runs WHERE name = 'values.eval.ts'`,
    )
    expect(JSON.parse(run?.params ?? '{}')).toStrictEqual({
      circular: { name: 'root', self: { $ref: '$' } },
      bigint: { $bigint: '12345678901234567890' },
      lone_surrogate: 'high \uFFFD low \uFFFD pair 😀',
      nan: { $number: 'NaN' },
    })
  })

  test('text DuckDB cannot store (lone surrogates) is repaired to U+FFFD with one warning naming the run', () => {
    for (const run of ['values.eval.ts', 'throws.eval.ts', 'names.eval.ts']) {
      const warnings = output.split('\n').filter((line) => line.startsWith(`strikes: run "${run}":`))
      expect(warnings, run).toHaveLength(1)
      expect(warnings[0]).toMatch(/\d+ records? held text DuckDB cannot store .* stored as U\+FFFD/)
    }
  })
})

/** What each non-Error throw (and awkward Error) is recorded as, by the fixture's case name. */
const THROWN_ERRORS: [string, string | RegExp][] = [
  ['a_string', 'ThrownValueError: task "throws a_string" threw a non-Error value: "plain string"'],
  ['undefined', 'ThrownValueError: task "throws undefined" threw a non-Error value: undefined'],
  ['null', 'ThrownValueError: task "throws null" threw a non-Error value: null'],
  ['a_number', 'ThrownValueError: task "throws a_number" threw a non-Error value: 42'],
  [
    'an_object',
    'ThrownValueError: task "throws an_object" threw a non-Error value: {"code":"E42","detail":{"retry":false}}',
  ],
  ['a_symbol', 'ThrownValueError: task "throws a_symbol" threw a non-Error value: {"$symbol":"thrown"}'],
  ['a_promise', 'ThrownValueError: task "throws a_promise" threw a non-Error value: {"$class":"Promise"}'],
  ['circular_cause', 'Error: circular cause'],
  ['lone_surrogate_message', 'Error: cut \uFFFD'],
  ['five_megabyte_message', /^Error: e{5000}/],
]

describe('a task that throws something odd fails, is recorded with an error that shows the value, and its test passes', () => {
  test.each(THROWN_ERRORS)('throws %s', async (name, error) => {
    const tasks = await spans('throws.eval.ts', 'task')
    const task = tasks.find((span) => span.name === `throws ${name}`)
    expect(task?.status).toBe('error')
    if (typeof error === 'string') expect(task?.error).toBe(error)
    else expect(task?.error).toMatch(error)
    const tests = await spans('throws.eval.ts', 'test')
    expect(tests.find((span) => span.name.includes(`throwing ${name} `))?.status).toBe('ok')
  })
})

/** Each garbage scorer of task `graded` and the error recorded with its 0. */
const SCORER_ERRORS: [string, string][] = [
  ['returns_nan', 'scorer "returns_nan" returned NaN, not a finite number, a boolean or { score }'],
  [
    'returns_infinity',
    'scorer "returns_infinity" returned Infinity, not a finite number, a boolean or { score }',
  ],
  [
    'returns_string',
    'scorer "returns_string" returned excellent, not a finite number, a boolean or { score }',
  ],
  [
    'returns_object',
    'scorer "returns_object" returned {"verdict":"good"}, not a finite number, a boolean or { score }',
  ],
  [
    'returns_score_string',
    'scorer "returns_score_string" returned { score: high }, not a finite number, a boolean or { score }',
  ],
  ['returns_null', 'scorer "returns_null" returned null, not a finite number, a boolean or { score }'],
  [
    'returns_undefined',
    'scorer "returns_undefined" returned {"$undefined":true}, not a finite number, a boolean or { score }',
  ],
  [
    'returns_bigint',
    'scorer "returns_bigint" returned {"$bigint":"1"}, not a finite number, a boolean or { score }',
  ],
  [
    'never_answers',
    'scorer "never_answers" failed: Error: scorer "never_answers" did not answer within 200 ms',
  ],
  ['throws_error', 'scorer "throws_error" failed: Error: judge is down'],
  ['throws_string', 'scorer "throws_string" failed: judge said no'],
  ['rejects', 'scorer "rejects" failed: RangeError: quota exceeded'],
]

describe('a scorer returning garbage (or never answering, bounded by scorerTimeoutMs) scores 0 with its error and a warning', () => {
  test.each(SCORER_ERRORS)('%s', async (name, error) => {
    const [metric] = await query<{ value: number; source: string; error: string | null; run_value: number }>(
      project.db,
      `SELECT m.value, m.source, m.attributes->>'error' AS error,
         (SELECT rm.value FROM run_metrics rm WHERE rm.run_id = m.run_id AND rm.name = 'graded.${name}') AS run_value
       FROM metrics m JOIN spans s USING (run_id, span_id) WHERE s.name = 'graded' AND m.name = '${name}'`,
    )
    expect(metric).toEqual({ value: 0, source: 'scorer', error, run_value: 0 })
    expect(output).toContain(`strikes: task "graded": ${error}; scored 0`)
  })

  test('the task itself succeeds and its sound scorer keeps its score', async () => {
    const [task] = await spans('scorers.eval.ts', 'task')
    expect(task?.status).toBe('ok')
    const sound = await query<{ value: number; error: string | null }>(
      project.db,
      `SELECT m.value, m.attributes->>'error' AS error FROM metrics m WHERE m.name = 'sound'`,
    )
    expect(sound).toEqual([{ value: 1, error: null }])
  })
})

/** Each bad metric call of names.eval.ts and the error its task fails with. */
const METRIC_ERRORS: [string, string][] = [
  ['empty', 'TypeError: strikes: a metric name must be a non-empty string, got ""'],
  [
    'huge',
    `TypeError: strikes: the metric name "${'m'.repeat(40)}…" is 5000 characters long; the limit is 1024`,
  ],
  ['not_a_string', 'TypeError: strikes: a metric name must be a non-empty string, got 42'],
  ['nan_value', 'TypeError: strikes: metric "score" must be a finite number or a boolean, got NaN'],
  ['string_value', 'TypeError: strikes: metric "score" must be a finite number or a boolean, got "0.9"'],
  ['bad_mode', 'TypeError: strikes: metric "score" has mode "median"; use one of avg, sum, min, max, count'],
]

describe('metric names and values', () => {
  test.each(METRIC_ERRORS)(
    'a metric with %s fails its task with an error naming it, and nothing is half-written',
    async (name, error) => {
      const rows = await query<{ status: string; error: string; points: bigint }>(
        project.db,
        `SELECT s.status, s.error, (SELECT count(*) FROM metrics m WHERE m.span_id = s.span_id) AS points
       FROM spans s WHERE s.name = 'metric ${name}'`,
      )
      expect(rows).toEqual([{ status: 'error', error, points: 0n }])
    },
  )

  test('unicode, 1,024-character, NUL and lone-surrogate names are stored on the task and mirrored on the run', async () => {
    const names = ['温度 🌡️', 'l'.repeat(1024), 'nul\u0000name', 'lone \uFFFD surrogate']
    const task = await query<{ name: string }>(
      project.db,
      `SELECT m.name FROM metrics m JOIN spans s USING (run_id, span_id) WHERE s.name = 'accepted names' ORDER BY m.seq`,
    )
    expect(task.map((row) => row.name)).toEqual(names)
    const run = await query<{ name: string }>(
      project.db,
      `SELECT name FROM run_metrics WHERE name LIKE 'accepted_names.%' ORDER BY seq`,
    )
    expect(run.map((row) => row.name)).toEqual(names.map((name) => `accepted_names.${name}`))
  })
})

/** Each test of labels.eval.ts and what its recorded error must say. */
const DEFINITION_ERRORS: [string, string][] = [
  ['a task named "!!!"', 'TypeError: strikes: the name "!!!" of task "!!!" cleans to an empty label'],
  ['a task labelled "🎉"', 'TypeError: strikes: the label "🎉" of task "party" cleans to an empty label'],
  ['a task named ""', 'TypeError: strikes: the name "" of task "" cleans to an empty label'],
  ['a taskSpan named "***"', 'TypeError: strikes: the name "***" of taskSpan "***" cleans to an empty label'],
  [
    'a scorer named "???"',
    'TypeError: strikes: a scorer needs a name with letters, digits or "_", got "???"',
  ],
  [
    'task option concurrency is a string',
    'TypeError: strikes: invalid options for task "opt_concurrency": option "concurrency"',
  ],
  [
    'task option scorers is a string',
    'TypeError: strikes: invalid options for task "opt_scorers": option "scorers"',
  ],
  [
    'task option logInputs is a number',
    'TypeError: strikes: invalid options for task "opt_log_inputs": option "logInputs"',
  ],
  [
    'task option colour is unknown',
    'TypeError: strikes: invalid options for task "opt_unknown": unknown option "colour"',
  ],
  ['task options are null', 'TypeError: strikes: evalTask options must be an object, got null'],
  [
    'map is given a string',
    'TypeError: strikes: task "map_string": map needs an array (or iterable) of items',
  ],
  [
    'map concurrency is 0',
    'TypeError: strikes: task "map_zero": concurrency must be a positive integer, got 0',
  ],
  ['a tag is a number', 'TypeError: strikes: a tag must be a non-empty string, got 42'],
]

describe('labels that clean to the empty string and options of the wrong type fail their test with an error naming the culprit', () => {
  test.each(DEFINITION_ERRORS)('%s', async (name, error) => {
    const tests = await spans('labels.eval.ts', 'test')
    const span = tests.find((row) => row.name === `labels.eval.ts > ${name}`)
    expect(span?.status).toBe('error')
    expect(span?.error).toContain(error)
    expect(output).toContain(error.replace(/^TypeError: /, ''))
  })

  test('no task of a rejected definition was recorded', async () => {
    expect(await spans('labels.eval.ts', 'task')).toEqual([])
  })
})

describe('secret-looking environment variables', () => {
  /** Every text column (VARCHAR, JSON, VARCHAR[]) of every table, as `table.column`. */
  async function textColumns(): Promise<{ table_name: string; column_name: string }[]> {
    return query(
      project.db,
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t USING (table_catalog, table_schema, table_name)
       WHERE t.table_type = 'BASE TABLE' AND c.data_type IN ('VARCHAR', 'JSON', 'VARCHAR[]')
       ORDER BY c.table_name, c.column_name`,
    )
  }

  /** `table.column` of every text column holding `needle`. */
  async function columnsHolding(needle: string): Promise<string[]> {
    const found: string[] = []
    for (const { table_name: table, column_name: column } of await textColumns()) {
      const [row] = await query<{ n: bigint }>(
        project.db,
        `SELECT count(*) AS n FROM "${table}" WHERE strpos("${column}"::VARCHAR, '${sql(needle)}') > 0`,
      )
      if ((row?.n ?? 0n) > 0n) found.push(`${table}.${column}`)
    }
    return found
  }

  test('the search covers every table strikes writes', async () => {
    const tables = new Set((await textColumns()).map((row) => row.table_name))
    for (const table of ['sessions', 'runs', 'spans', 'metrics', 'run_metrics', 'objects', 'task_io'])
      expect(tables).toContain(table)
  })

  test.each(Object.entries(SECRETS))(
    '%s is in no text column of any table, nor in the report',
    async (_name, secret) => {
      expect(await columnsHolding(secret)).toEqual([])
      expect(readFileSync(join(project.dir, '.strikes/report.html'), 'utf8')).not.toContain(secret)
    },
  )

  test('a secret the user logs explicitly is recorded where it was logged (the search finds what is there)', async () => {
    expect(await columnsHolding(EXPLICIT.STRIKES_EXPLICIT_TOKEN)).toEqual(['runs.params'])
  })
})

test('plugin options of the wrong type stop vitest before anything runs, naming each option', async () => {
  const wrong = fixtureProject('no-plugin', {
    'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({
  plugins: [
    strikes({
      db: 42,
      report: true,
      scorerTimeoutMs: -5,
      lockTimeoutMs: 'soon',
      maxObjectBytes: 1.5,
      concurrency: 0,
      include: '**/*.eval.ts',
      thresholds: { 'answer.quality': 5 },
      otlp: 'yes',
    } as never),
  ],
})
`,
  })
  const run = await wrong.vitest(['--reporter=strikes'])
  expect(run.code).not.toBe(0)
  const said = run.stdout + run.stderr
  expect(said).toContain('strikes: invalid plugin options')
  for (const option of [
    'db',
    'report',
    'scorerTimeoutMs',
    'lockTimeoutMs',
    'maxObjectBytes',
    'concurrency',
    'include',
    'thresholds.answer.quality',
    'otlp',
  ])
    expect(said).toContain(`option "${option}"`)
  expect(existsSync(wrong.db)).toBe(false)
})
