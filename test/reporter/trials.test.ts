/**
 * Trials and input keys as Vitest records them: a real `vitest` run of an eval file whose map calls run
 * several trials (by the call's option and by `STRIKES_TRIALS`), stored in `spans.trial` and
 * `spans.input_key`, so two sessions pair input by input.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

const EVAL = `
import { evalTask, scorer } from 'strikes'
import { expect, test } from 'vitest'

const exact = scorer('exact', (output: string, { input }: { input: { expected: string } }) => output === input.expected)
const classify = evalTask({ scorers: [exact], key: (row: { id: string }) => row.id }, async function classify(row: {
  id: string
  text: string
  expected: string
}) {
  return row.text.includes('refund') ? 'billing' : 'other'
})
const upper = evalTask(async function upper(text: string) {
  return text.toUpperCase()
})

const rows = [
  { id: 'r1', text: 'refund please', expected: 'billing' },
  { id: 'r2', text: 'hello', expected: 'billing' },
]

test('rows with three trials each', async () => {
  expect(await classify.map(rows, { trials: 3 })).toEqual(['billing', 'other'])
})

test('a map that does not say follows STRIKES_TRIALS', async () => {
  expect(await upper.map(['a', 'b'])).toEqual(['A', 'B'])
})
`

describe('trials and input keys in DuckDB', () => {
  let project: FixtureProject

  beforeAll(async () => {
    project = fixtureProject('basic', { 'trials.eval.ts': EVAL })
    for (const trials of ['2', '2']) {
      const result = await project.vitest(['--reporter=strikes', 'trials.eval.ts'], {
        env: { STRIKES_TRIALS: trials },
      })
      if (result.code !== 0) throw new Error(result.stdout + result.stderr)
    }
  })

  test('each call of a trial is a span with its trial number and its input key', async () => {
    const rows = await query<{ label: string; input_key: string; trials: number[] }>(
      project.db,
      `SELECT s.label, s.input_key, list(s.trial ORDER BY s.trial) AS trials
       FROM spans s JOIN runs r USING (run_id)
       WHERE s.kind = 'task' AND r.session_id = (SELECT session_id FROM sessions ORDER BY started_at LIMIT 1)
       GROUP BY ALL ORDER BY s.label, s.input_key`,
    )
    expect(rows.filter((row) => row.label === 'classify')).toEqual([
      { label: 'classify', input_key: 'r1', trials: [0, 1, 2] },
      { label: 'classify', input_key: 'r2', trials: [0, 1, 2] },
    ])
    const upper = rows.filter((row) => row.label === 'upper')
    expect(upper).toHaveLength(2)
    for (const row of upper) {
      expect(row.input_key).toMatch(/^[0-9a-f]{40}$/)
      expect(row.trials).toEqual([0, 1])
    }
  })

  test('the same inputs have the same keys in both sessions, so their scores pair input by input', async () => {
    const pairs = await query<{ input_key: string; sessions: bigint; points: bigint }>(
      project.db,
      `SELECT s.input_key, count(DISTINCT r.session_id) AS sessions, count(*) AS points
       FROM run_metrics m JOIN spans s USING (run_id, span_id) JOIN runs r USING (run_id)
       WHERE m.name = 'classify.exact'
       GROUP BY ALL ORDER BY s.input_key`,
    )
    expect(pairs).toEqual([
      { input_key: 'r1', sessions: 2n, points: 6n },
      { input_key: 'r2', sessions: 2n, points: 6n },
    ])
  })
})
