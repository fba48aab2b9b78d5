/**
 * How combinators run the scorers they wrap: each inner scorer's value normalised like a task's scorer,
 * a failure propagated as an error naming the inner scorer (so the task records 0 and a warning), and
 * each inner scorer's score and metadata kept under its name.
 */
import { cleanLabel } from '../labels.js'
import {
  isScorer,
  normaliseScore,
  type Scorer,
  type ScorerContext,
  type ScorerLike,
  scorer,
  toScorer,
} from '../scorer.js'
import { describeThrown } from '../serialise.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** One inner scorer's normalised result. */
export interface InnerScore {
  /** The inner scorer's cleaned name. */
  readonly name: string
  readonly value: number
  readonly metadata: Record<string, unknown>
}

/** Turns what a combinator was given into scorers; throws a `TypeError` naming the combinator otherwise. */
export function toInnerScorers<R, A extends unknown[]>(
  items: readonly ScorerLike<R, A>[],
  combinator: string,
): Scorer<R, A>[] {
  return items.map((item) => toScorer(item, `${combinator}()`))
}

/**
 * Runs one inner scorer; throws an `Error` naming it when it throws or returns something that is not a score.
 */
export async function scoreInner<R, A extends unknown[]>(
  inner: Scorer<R, A>,
  output: R,
  context: ScorerContext<A>,
): Promise<InnerScore> {
  const name = cleanLabel(inner.name)
  let returned: unknown
  try {
    returned = await inner.score(output, context)
  } catch (thrown) {
    throw new Error(`inner scorer "${name}" failed: ${describeThrown(thrown)}`, { cause: thrown })
  }
  const result = normaliseScore(name, returned)
  if (result.error !== undefined) throw new Error(`inner ${result.error}`)
  return { name, value: result.value, metadata: result.metadata }
}

/** Runs inner scorers concurrently; rejects with the first failure. */
export function scoreAllInner<R, A extends unknown[]>(
  inners: readonly Scorer<R, A>[],
  output: R,
  context: ScorerContext<A>,
): Promise<InnerScore[]> {
  return Promise.all(inners.map((inner) => scoreInner(inner, output, context)))
}

/**
 * A combinator's metadata: `{ [inner name]: { score, ...inner metadata } }`; a name used twice gets a
 * suffix (`includes`, `includes_2`).
 */
export function innerMetadata(results: readonly InnerScore[]): Record<string, unknown> {
  const metadata: Record<string, unknown> = {}
  for (const result of results) {
    let key = result.name
    for (let n = 2; Object.hasOwn(metadata, key); n++) key = `${result.name}_${n}`
    metadata[key] = { score: result.value, ...result.metadata }
  }
  return metadata
}

/**
 * Splits a variadic combinator's arguments into its items and a trailing options object (a plain object
 * that is neither a scorer nor a function nor an array).
 */
export function splitTrailingOptions<T, O extends object>(
  args: readonly (T | O)[],
): { items: T[]; options: O | undefined } {
  const last = args.at(-1)
  const isOptions = typeof last === 'object' && last !== null && !Array.isArray(last) && !isScorer(last)
  return isOptions
    ? { items: args.slice(0, -1) as T[], options: last as O }
    : { items: args as T[], options: undefined }
}

/**
 * The body of `all` and `any`: a scorer named by its trailing `{ name }` (default: the combinator's
 * name) that scores `combine` of its inner scorers' values, with each inner score in its metadata.
 */
export function combinedScorer<R, A extends unknown[]>(
  combinator: 'all' | 'any',
  args: readonly (ScorerLike<R, A> | ScorerOptions)[],
  combine: (values: number[]) => number,
): Scorer<R, A> {
  const { items, options } = splitTrailingOptions<ScorerLike<R, A>, ScorerOptions>(args)
  const name = nameFrom(readOptions(options, combinator), combinator, combinator)
  if (items.length === 0) throw new TypeError(`strikes: ${combinator}() needs at least one scorer`)
  const inners = toInnerScorers(items, combinator)
  return scorer<R, A>(name, async (output, context) => {
    const results = await scoreAllInner(inners, output, context)
    return { score: combine(results.map((result) => result.value)), metadata: innerMetadata(results) }
  })
}
