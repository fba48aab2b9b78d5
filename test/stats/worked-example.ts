/**
 * The worked example of the README's "Is it a real regression?": an LLM-judged `summarize.quality` over 40
 * documents whose true qualities are spread over 0.45–0.75, a judge whose score of one answer varies by
 * 0.25 (standard deviation) from trial to trial, and a candidate prompt that is truly 0.06 worse.
 */
import { type SeedPoint, type SeedSession, seedDatabase } from '../gate/seed-database.js'
import { normalDraw, seededRandom } from './simulated-sessions.js'

/** The scenario's constants. */
export const EXAMPLE = { inputs: 40, judgeNoise: 0.25, drop: 0.06, low: 0.45, spread: 0.3 } as const

/** Per-input true qualities and one session's judged trials of them (scores clamped to [0, 1]). */
export function judgedScores(
  random: () => number,
  quality: readonly number[],
  shift: number,
  trials: number,
): number[][] {
  return quality.map((value) =>
    Array.from({ length: trials }, () =>
      Math.min(1, Math.max(0, value + shift + EXAMPLE.judgeNoise * normalDraw(random))),
    ),
  )
}

/** The qualities of the example's documents. */
export function documentQualities(random: () => number): number[] {
  return Array.from({ length: EXAMPLE.inputs }, () => EXAMPLE.low + EXAMPLE.spread * random())
}

/** A database with the main branch's session and the pull request's, each judging every document `trials` times. */
export async function exampleDatabase(seed: number, trials: number): Promise<string> {
  const random = seededRandom(seed)
  const quality = documentQualities(random)
  const session = (id: string, shift: number, prompt: string): SeedSession => ({
    id,
    runs: [
      {
        name: 'summarize.eval.ts',
        points: {
          'summarize.quality': judgedScores(random, quality, shift, trials).flatMap((scores, index) =>
            scores.map(
              (value, trial): SeedPoint => ({
                input: `doc-${index}`,
                trial,
                value,
                output: `summary of document ${index} (${prompt}, trial ${trial})`,
              }),
            ),
          ),
        },
      },
    ],
  })
  return seedDatabase([
    session('a1b2c3d4-main', 0, 'prompt v1'),
    session('e5f6a7b8-pr', -EXAMPLE.drop, 'prompt v2'),
  ])
}
