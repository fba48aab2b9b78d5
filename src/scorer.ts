/**
 * Scorers: functions that grade a task's output. Each scorer of a task runs after a successful call and
 * logs a metric named after it (source `scorer`, the output as origin), mirrored on the run as
 * `<label>.<scorer>`.
 */
import { cleanLabel } from './labels.js'
import { describeThrown } from './serialise.js'
import type { TaskSpan } from './task-span.js'

/** What a scorer sees besides the output. */
export interface ScorerContext<A extends unknown[] = unknown[]> {
  /** The task's arguments. */
  readonly args: A
  /** The first argument (the dataset row, usually). */
  readonly input: A[0]
  /** The expected value: the task's `expected` hook, else `input.expected` when the first argument has one. */
  readonly expected: unknown
  /** The task's span (inputs, outputs, metrics so far). */
  readonly task: TaskSpan
}

/** A scorer's verdict: a number, a boolean (true = 1), or a score with metadata kept in the metric's attributes. */
export type ScoreValue = number | boolean | { score: number | boolean; metadata?: Record<string, unknown> }

/** Marks scorer objects (plain functions given as scorers are read as autoevals-shaped scorers). */
export const SCORER_BRAND: unique symbol = Symbol.for('strikes.scorer')

/** A named scoring function. */
export interface Scorer<R = unknown, A extends unknown[] = unknown[]> {
  readonly [SCORER_BRAND]: true
  /** Name of the metric it logs (cleaned like a label). */
  readonly name: string
  /** Grades an output. */
  score(output: R, context: ScorerContext<A>): ScoreValue | Promise<ScoreValue>
}

/** What Braintrust's `autoevals` functions return. */
export interface AutoevalsScore {
  name: string
  score: number | null
  metadata?: Record<string, unknown>
}

/** A function shaped like Braintrust's `autoevals` scorers, accepted as a scorer as it is. */
export type AutoevalsScorer<R = unknown> = (args: {
  output: R
  expected?: unknown
  input?: unknown
}) => AutoevalsScore | Promise<AutoevalsScore>

/** Anything a task accepts in `scorers`. */
export type ScorerLike<R = unknown, A extends unknown[] = unknown[]> = Scorer<R, A> | AutoevalsScorer<R>

/** Creates a named scorer from a function returning a number, a boolean or `{ score, metadata? }`. */
export function scorer<R = unknown, A extends unknown[] = unknown[]>(
  name: string,
  fn: (output: R, context: ScorerContext<A>) => ScoreValue | Promise<ScoreValue>,
): Scorer<R, A> {
  if (typeof name !== 'string' || cleanLabel(name) === '') {
    throw new TypeError(
      `strikes: a scorer needs a name with letters, digits or "_", got ${JSON.stringify(name)}`,
    )
  }
  if (typeof fn !== 'function') {
    throw new TypeError(`strikes: scorer "${name}" needs a function, got ${typeof fn}`)
  }
  return { [SCORER_BRAND]: true, name, score: fn }
}

/** True for scorer objects made by `scorer()` (or any object carrying the scorer brand). */
export function isScorer(value: unknown): value is Scorer {
  return (
    typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SCORER_BRAND] === true
  )
}

/** Turns a scorer-like value into a scorer; throws a `TypeError` naming the culprit otherwise. */
export function toScorer<R, A extends unknown[]>(value: ScorerLike<R, A>, where: string): Scorer<R, A> {
  if (isScorer(value)) return value as Scorer<R, A>
  if (typeof value === 'function') {
    const fn = value as AutoevalsScorer<R>
    const fallbackName = fn.name !== '' ? fn.name : 'score'
    return {
      [SCORER_BRAND]: true,
      name: fallbackName,
      async score(output, context) {
        const result = await fn({ output, expected: context.expected, input: context.input })
        if (typeof result !== 'object' || result === null || !('score' in result)) {
          throw new TypeError(`the autoevals-style scorer ${fallbackName} returned ${describeThrown(result)}`)
        }
        const metadata: Record<string, unknown> = { ...(result.metadata ?? {}) }
        if (typeof result.name === 'string' && result.name !== '') metadata.autoevals_name = result.name
        if (result.score === null) return { score: 0, metadata: { ...metadata, score_was_null: true } }
        return { score: result.score, metadata }
      },
    }
  }
  throw new TypeError(
    `strikes: ${where} has a scorer that is neither a scorer() nor a function: ${describeThrown(value)}`,
  )
}

/** A scorer's normalised result: a finite number, metadata, and the problem if it failed. */
export interface ScoreResult {
  readonly name: string
  readonly value: number
  readonly metadata: Record<string, unknown>
  readonly error: string | undefined
}

/** Normalises what a scorer returned; garbage (NaN, strings, objects without `score`) is an error. */
export function normaliseScore(name: string, returned: unknown): ScoreResult {
  let score: unknown = returned
  let metadata: Record<string, unknown> = {}
  if (typeof returned === 'object' && returned !== null && 'score' in returned) {
    score = (returned as { score: unknown }).score
    const given = (returned as { metadata?: unknown }).metadata
    if (typeof given === 'object' && given !== null) metadata = { ...(given as Record<string, unknown>) }
  }
  if (typeof score === 'boolean') return { name, value: score ? 1 : 0, metadata, error: undefined }
  if (typeof score === 'number' && Number.isFinite(score))
    return { name, value: score, metadata, error: undefined }
  return {
    name,
    value: 0,
    metadata,
    error: `scorer "${name}" returned ${describeReturned(returned)}, not a finite number, a boolean or { score }`,
  }
}

function describeReturned(value: unknown): string {
  if (typeof value === 'number') return String(value)
  if (typeof value === 'object' && value !== null && 'score' in value) {
    return `{ score: ${describeReturned((value as { score: unknown }).score)} }`
  }
  return describeThrown(value)
}

/**
 * Runs one scorer; never rejects (a throw, a timeout or garbage scores 0 with the error). A scorer that
 * answers synchronously gets its result back synchronously; one that returns a promise is bounded by
 * `timeoutMs`. `name` is the metric name (the scorer's cleaned name), computed once per task.
 */
export function runScorer<R, A extends unknown[]>(
  scorerToRun: Scorer<R, A>,
  output: R,
  context: ScorerContext<A>,
  timeoutMs: number,
  name: string = cleanLabel(scorerToRun.name),
): ScoreResult | Promise<ScoreResult> {
  const failed = (thrown: unknown): ScoreResult => ({
    name,
    value: 0,
    metadata: {},
    error: `scorer "${name}" failed: ${describeThrown(thrown)}`,
  })
  let returned: unknown
  try {
    returned = scorerToRun.score(output, context)
  } catch (thrown) {
    return failed(thrown)
  }
  if (!isThenable(returned)) return normaliseScore(name, returned)
  return withTimeout(returned, timeoutMs, name).then((value) => normaliseScore(name, value), failed)
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function'
}

function withTimeout<T>(promise: PromiseLike<T>, timeoutMs: number, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`scorer "${name}" did not answer within ${timeoutMs} ms`)),
      timeoutMs,
    )
    timer.unref?.()
    promise.then(
      (value) => {
        clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        clearTimeout(timer)
        reject(error)
      },
    )
  })
}
