/**
 * `strikes compare`: two sessions per run and key — both means, the difference with its 95% interval,
 * p (Holm-adjusted across keys), MDE and verdict — then the inputs that changed most with both outputs;
 * `--json` in the documented shape. Figures are checked against SciPy's; data recorded by a real `vitest`
 * run without logged inputs (no input keys) falls back to Welch statistics, labelled.
 */
import { beforeAll, describe, expect, test } from 'vitest'
import { holmAdjust } from '../../reporter/stats/holm-correction.js'
import { seedDatabase } from '../gate/seed-database.js'
import { expectClose, type PairedReference, REFERENCE } from '../stats/reference-values.js'
import { type RecordedProject, recordedProject, strikes } from './strikes-cli.js'

interface KeyJson {
  run: string
  key: string
  n_paired: number
  n_only_baseline: number
  n_only_candidate: number
  baseline_mean: number | null
  candidate_mean: number | null
  mean_diff: number | null
  se_diff: number | null
  ci_low: number | null
  ci_high: number | null
  p_value: number | null
  p_adjusted: number | null
  mde: number | null
  verdict: string
  method: string
  notes: string[]
}

interface InputJson {
  run: string
  key: string
  input_key: string
  baseline: number
  candidate: number
  diff: number
  baseline_output: string | null
  candidate_output: string | null
}

interface CompareJson {
  baseline: { session: string }
  candidate: { session: string }
  keys: KeyJson[]
  inputs: InputJson[]
}

async function compareJson(args: string[], cwd: string): Promise<CompareJson> {
  const result = await strikes(['compare', ...args, '--json'], cwd)
  expect(result.code, result.stderr).toBe(0)
  return JSON.parse(result.stdout) as CompareJson
}

const regressed = REFERENCE.paired.find(
  (entry) => entry.name === 'n=40 noise=0.1 shift=-0.1',
) as PairedReference
const improved = REFERENCE.paired.find(
  (entry) => entry.name === 'n=60 noise=0.05 shift=0.04',
) as PairedReference

describe('two seeded sessions with input keys', () => {
  let db: string
  beforeAll(async () => {
    const points = (reference: PairedReference, side: 'baseline' | 'candidate', label: string) =>
      reference[side].map((value, index) => ({
        input: `${label}-input-${index}`,
        value,
        output: `${side} answer to question ${index}\nwith a second line that is long enough to be cut`,
        inputText: `question ${index}`,
      }))
    db = await seedDatabase([
      {
        id: 'aaaa0001-baseline',
        runs: [
          { name: 'summarize.eval.ts', points: { 'summarize.quality': points(regressed, 'baseline', 's') } },
          { name: 'classify.eval.ts', points: { 'classify.score': points(improved, 'baseline', 'c') } },
        ],
      },
      {
        id: 'bbbb0002-candidate',
        runs: [
          { name: 'summarize.eval.ts', points: { 'summarize.quality': points(regressed, 'candidate', 's') } },
          { name: 'classify.eval.ts', points: { 'classify.score': points(improved, 'candidate', 'c') } },
        ],
      },
    ])
  })

  test('--json has the documented shape and SciPy figures, Holm-adjusted across the keys', async () => {
    const json = await compareJson(['aaaa', 'latest', '--db', db, '--top', '3'], process.cwd())
    expect(Object.keys(json)).toEqual(['baseline', 'candidate', 'keys', 'inputs'])
    expect(json.baseline).toEqual({ session: 'aaaa0001-baseline' })
    expect(json.candidate).toEqual({ session: 'bbbb0002-candidate' })
    expect(json.keys.map((key) => [key.run, key.key, key.verdict, key.method])).toEqual([
      ['classify.eval.ts', 'classify.score', 'improved', 'paired t'],
      ['summarize.eval.ts', 'summarize.quality', 'regressed', 'paired t'],
    ])
    const adjusted = holmAdjust([improved.p_two_sided, regressed.p_two_sided])
    for (const [key, reference, pAdjusted] of [
      [json.keys[0], improved, adjusted[0]],
      [json.keys[1], regressed, adjusted[1]],
    ] as const) {
      expect(key).toMatchObject({
        n_paired: reference.baseline.length,
        n_only_baseline: 0,
        n_only_candidate: 0,
      })
      for (const field of [
        'run',
        'key',
        'n_paired',
        'n_only_baseline',
        'n_only_candidate',
        'baseline_mean',
        'candidate_mean',
        'mean_diff',
        'se_diff',
        'ci_low',
        'ci_high',
        'p_value',
        'p_adjusted',
        'mde',
        'verdict',
      ]) {
        expect(key, field).toHaveProperty(field)
      }
      expectClose(key?.mean_diff as number, reference.mean_diff, 'mean_diff')
      expectClose(key?.se_diff as number, reference.se_diff, 'se_diff')
      expectClose(key?.ci_low as number, reference.ci95[0], 'ci_low')
      expectClose(key?.ci_high as number, reference.ci95[1], 'ci_high')
      expectClose(key?.p_value as number, reference.p_two_sided, 'p_value')
      expectClose(key?.p_adjusted as number, pAdjusted as number, 'p_adjusted')
      expectClose(key?.mde as number, reference.mde, 'mde')
    }
  })

  test('the inputs that changed most come worst first, with both outputs, --top per key', async () => {
    const json = await compareJson(
      ['aaaa0001-baseline', 'bbbb0002-candidate', '--db', db, '--top', '2'],
      process.cwd(),
    )
    expect(json.inputs).toHaveLength(4)
    const summarize = json.inputs.filter((input) => input.key === 'summarize.quality')
    expect(summarize).toHaveLength(2)
    const diffs = regressed.candidate.map((value, index) => value - (regressed.baseline[index] as number))
    const largest = [...diffs.keys()].sort(
      (a, b) => Math.abs(diffs[b] as number) - Math.abs(diffs[a] as number),
    )
    const expected = largest.slice(0, 2).sort((a, b) => (diffs[a] as number) - (diffs[b] as number))
    expect(summarize.map((input) => input.input_key)).toEqual(expected.map((index) => `s-input-${index}`))
    const first = expected[0] as number
    expect(summarize[0]).toMatchObject({
      baseline_output: `baseline answer to question ${first}\nwith a second line that is long enough to be cut`,
      candidate_output: `candidate answer to question ${first}\nwith a second line that is long enough to be cut`,
    })
    expect(summarize[0]?.diff).toBeCloseTo(diffs[first] as number, 12)
  })

  test('the table prints every key with its interval, p, MDE and verdict, and both outputs cut to the width', async () => {
    const result = await strikes(['compare', 'aaaa', 'bbbb', '--db', db, '--top', '2'], process.cwd())
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[0]).toMatch(/^baseline {3}aaaa0001-baseline · 2026-01-01/)
    expect(lines[2]).toContain('2 keys: 1 regressed · 1 improved · 0 no change · 0 insufficient data')
    const header = lines.find((line) => line.startsWith('run'))
    expect(header?.split(/\s{2,}/)).toEqual([
      'run',
      'key',
      'n',
      'baseline',
      'candidate',
      'diff',
      'change',
      '95% CI',
      'p',
      'p adj',
      'MDE',
      'method',
      'verdict',
    ])
    expect(
      lines.find((line) => line.includes('summarize.quality') && line.endsWith('regressed')),
    ).toBeDefined()
    const section = lines.indexOf('inputs that changed most (worst first, top 2 per key)')
    expect(section).toBeGreaterThan(0)
    const sideBySide = lines.slice(section).filter((line) => line.includes(' │ candidate: '))
    expect(sideBySide).toHaveLength(4)
    for (const line of lines.slice(section)) expect([...line].length).toBeLessThanOrEqual(120)
    expect(sideBySide[0]).toMatch(/baseline: baseline answer to question \d+⏎with a second/)
  })

  test('--top 0 lists no inputs; a bad --top and the removed --agg are usage errors', async () => {
    const json = await compareJson(['aaaa', 'bbbb', '--db', db, '--top', '0'], process.cwd())
    expect(json.inputs).toEqual([])
    const bad = await strikes(['compare', 'aaaa', 'bbbb', '--db', db, '--top', 'many'], process.cwd())
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--top takes a whole number')
    const agg = await strikes(['compare', 'aaaa', 'bbbb', '--db', db, '--agg', 'p95'], process.cwd())
    expect(agg.code).toBe(2)
    expect(agg.stderr).toContain('--agg is gone')
  })

  test('--limit caps the table, regressed keys first, and counts the rest; --json still lists every key', async () => {
    const result = await strikes(['compare', 'aaaa', 'bbbb', '--db', db, '--limit', '1'], process.cwd())
    expect(result.code, result.stderr).toBe(0)
    const lines = result.stdout.split('\n')
    expect(lines[2]).toContain('2 keys: 1 regressed · 1 improved')
    const rows = lines.filter((line) => line.includes('.eval.ts') && /(regressed|improved)$/.test(line))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toContain('summarize.quality')
    expect(lines).toContain('… and 1 more keys (raise --limit, or use --json for all)')
    expect(lines.some((line) => line === 'classify.eval.ts · classify.score')).toBe(false)
    const json = await compareJson(['aaaa', 'bbbb', '--db', db, '--limit', '1'], process.cwd())
    expect(json.keys).toHaveLength(2)
    const bad = await strikes(['compare', 'aaaa', 'bbbb', '--db', db, '--limit', '0'], process.cwd())
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--limit takes a whole number from 1 to 10000')
  })

  test('--lower-is-better turns the drop into an improvement', async () => {
    const json = await compareJson(
      ['aaaa', 'bbbb', '--db', db, '--lower-is-better', 'summarize.quality'],
      process.cwd(),
    )
    expect(json.keys.find((key) => key.key === 'summarize.quality')?.verdict).toBe('improved')
  })
})

describe('sessions recorded by a real vitest run without logged inputs (no input keys)', () => {
  let recorded: RecordedProject
  beforeAll(async () => {
    recorded = await recordedProject({ logInputs: false })
  })

  test('fall back to unpaired Welch statistics, labelled as such, with the means and the difference', async () => {
    const json = await compareJson([recorded.first, recorded.second], recorded.project.dir)
    expect(json.baseline.session).toBe(recorded.first)
    expect(json.candidate.session).toBe(recorded.second)
    const quality = json.keys.find((key) => key.key === 'summarize.quality')
    expect(quality).toMatchObject({ method: 'Welch', n_paired: 0, n_only_baseline: 3, n_only_candidate: 3 })
    expect(quality?.mean_diff).toBeCloseTo(-0.1, 10)
    expect(quality?.notes.join(' ')).toContain('pairing impossible')
    expect(quality?.notes.join(' ')).toContain('unpaired Welch statistics')
    expect(json.keys.find((key) => key.key === 'classify.correct')).toMatchObject({
      mean_diff: 0,
      verdict: 'no_change',
    })
  })

  test('the table labels the method and prints the note', async () => {
    const result = await strikes(['compare', recorded.first.slice(0, 8), 'latest'], recorded.project.dir)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Welch')
    expect(result.stdout).toContain('summarize.quality: pairing impossible')
  })

  test('an unknown session fails with exit 2', async () => {
    const result = await strikes(['compare', recorded.first, 'nope-nope'], recorded.project.dir)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no session matches "nope-nope"')
  })
})
