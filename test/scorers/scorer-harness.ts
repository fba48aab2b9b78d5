/**
 * Helpers for scorer unit tests: a scorer context without a task, and a runner that scores an output
 * the way a task does (through `runScorer`: a throw or garbage becomes 0 with an error).
 */
import { runScorer, type ScoreResult, type Scorer, type ScorerContext } from '../../src/scorer.js'
import type { TaskSpan } from '../../src/task-span.js'

/** A scorer context for a call with these arguments (the first one is the input). */
export function contextOf(args: unknown[] = [], expected?: unknown): ScorerContext<unknown[]> {
  return { args, input: args[0], expected, task: undefined as unknown as TaskSpan }
}

/** Scores an output as a task would; never rejects. */
export function scoreWith<R>(
  scorerToRun: Scorer<R, unknown[]>,
  output: unknown,
  context: ScorerContext<unknown[]> = contextOf(),
): Promise<ScoreResult> {
  return Promise.resolve(runScorer(scorerToRun, output as R, context, 10_000))
}

/** An object whose property `secret` throws when read. */
export function withThrowingGetter(): Record<string, unknown> {
  return Object.defineProperty({ visible: 1 }, 'secret', {
    enumerable: true,
    get() {
      throw new Error('getter exploded')
    },
  })
}

/** `{ name, self }` where `self` points back at the object. */
export function circular(name = 'loop'): Record<string, unknown> {
  const value: Record<string, unknown> = { name }
  value.self = value
  return value
}

/** A string of about `bytes` characters of varied ASCII text. */
export function bigText(bytes: number, seed = 1): string {
  const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta']
  let state = seed
  const parts: string[] = []
  let length = 0
  while (length < bytes) {
    state = (state * 1103515245 + 12345) & 0x7fffffff
    const word = words[state % words.length] as string
    parts.push(word)
    length += word.length + 1
  }
  return parts.join(' ').slice(0, bytes)
}
