/**
 * The README's worked example ("Is it a real regression?") is what the code does: the run shown (seed
 * 2028) passes `no regression` with one trial and fails it with five, through the real CLI; and the rates
 * quoted — how often `no regression` and `avg >= baseline - 0.05` fail over 1,000 simulated pull requests,
 * with and without the drop — are recomputed here and must match the README's table.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { regressionTest } from '../../reporter/stats/regression-test.js'
import { strikes } from '../cli/strikes-cli.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { pairedSummary, seededRandom } from './simulated-sessions.js'
import { documentQualities, EXAMPLE, exampleDatabase, judgedScores } from './worked-example.js'

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')

/** The share of 1,000 simulated pull requests that fail each gate. */
function rates(trials: number, drop: number): { noRegression: number; raw: number; mde: number } {
  const random = seededRandom(99)
  let noRegression = 0
  let raw = 0
  const mdes: number[] = []
  for (let pair = 0; pair < 1000; pair++) {
    const quality = documentQualities(random)
    const mean = (shift: number): number[] =>
      judgedScores(random, quality, shift, trials).map(
        (scores) => scores.reduce((sum, value) => sum + value, 0) / trials,
      )
    const test = regressionTest(pairedSummary(mean(0), mean(-drop)), 'higher-is-better')
    if (test.regressed) noRegression++
    if ((test.diff as number) < -0.05) raw++
    mdes.push(test.mde as number)
  }
  mdes.sort((a, b) => a - b)
  return { noRegression: noRegression / 10, raw: raw / 10, mde: mdes[500] as number }
}

describe('the worked example of the README', () => {
  it.each([1, 5, 10])('the row for %i trial(s) of the table matches a fresh simulation', (trials) => {
    const unchanged = rates(trials, 0)
    const dropped = rates(trials, EXAMPLE.drop)
    const row = `| ${trials} ${trials === 1 ? 'trial ' : 'trials'} | ${dropped.mde.toFixed(3)} | ${unchanged.noRegression.toFixed(1)}% | ${dropped.noRegression.toFixed(1)}% | ${unchanged.raw.toFixed(1)}% | ${dropped.raw.toFixed(1)}% |`
    expect(README).toContain(row)
  })

  it('the run shown passes with one trial and fails with five, through the real CLI', async () => {
    for (const [trials, code, verdict] of [
      [1, 0, 'no_change'],
      [5, 1, 'regressed'],
    ] as const) {
      const db = await exampleDatabase(2028, trials)
      const gate = await strikes([
        'gate',
        'summarize.quality: no regression',
        '--session',
        'e5f6',
        '--baseline',
        'a1b2',
        '--db',
        db,
      ])
      expect(gate.code, gate.stdout + gate.stderr).toBe(code)
      const compare = await strikes(['compare', 'a1b2', 'e5f6', '--db', db, '--json'])
      expect((JSON.parse(compare.stdout) as { keys: { verdict: string }[] }).keys[0]?.verdict).toBe(verdict)
    }
  })
})
