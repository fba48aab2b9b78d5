/**
 * `strikes/scorers`: built-in scorers and scorer combinators.
 *
 * - Every scorer takes a trailing `{ name }` to log under another metric name. Arguments are positional:
 *   `exactMatch(undefined, { name: 'same' })` renames a scorer that uses the task's expected value.
 * - Expected values (`Expected<T>`) are fixed, drawn from the call (`(ctx) => ctx.input.answer`), or —
 *   when omitted — the task's expected value (its `expected` option, else `input.expected`).
 * - An output of the wrong shape (a number where a string is compared, a circular object, a getter that
 *   throws) scores 0 with a `reason` in metadata; a misconfiguration (no expected value, an expected
 *   value of the wrong type, a judge reply without a score) is an error, which the task records as 0
 *   with the error and a warning.
 * - Combinators run their inner scorers (concurrently when several) and keep each one's score and
 *   metadata under its name; an inner scorer that fails makes the combinator fail, naming it.
 *   Derived names: `threshold` → `<inner>_threshold`, `invert` → `<inner>_inverted`,
 *   `scale` → `<inner>_scaled`.
 */
export {
  type AutoevalsScore,
  type AutoevalsScorer,
  type Scorer,
  type ScorerContext,
  type ScorerLike,
  type ScoreValue,
  scorer,
} from '../scorer.js'
export { all } from './all.js'
export { any } from './any.js'
export { exactMatch } from './exact-match.js'
export type { Expected } from './expected.js'
export { type IncludesOptions, includes } from './includes.js'
export { invert } from './invert.js'
export { jsonValid } from './json-valid.js'
export type { JudgeRange } from './judge-reply.js'
export { lengthBetween } from './length-between.js'
export { DEFAULT_LEVENSHTEIN_MAX_CELLS, type LevenshteinOptions, levenshtein } from './levenshtein.js'
export { defaultPrompt, type JudgePromptParts, type LlmJudgeOptions, llmJudge } from './llm-judge.js'
export { matchesSchema, type SchemaIssue } from './matches-schema.js'
export { type NumericClosenessOptions, numericCloseness } from './numeric-closeness.js'
export { rename } from './rename.js'
export { scale } from './scale.js'
export type { ScorerOptions } from './scorer-options.js'
export { type ThresholdBounds, threshold } from './threshold.js'
export { type WeightedScorer, weightedAvg } from './weighted-avg.js'
