/**
 * `strikes/scorers`: built-in scorers and scorer combinators.
 *
 * Every scorer takes a trailing `{ name }` to log under another metric name. Expected values are fixed,
 * drawn from the call (`(ctx) => ctx.input.answer`), or — when omitted — the task's expected value.
 */
export { type AutoevalsScore, type AutoevalsScorer, type Scorer, type ScorerContext, type ScorerLike, type ScoreValue, scorer } from '../scorer.js'
export { all } from './all.js'
export { any } from './any.js'
export { exactMatch } from './exact-match.js'
export type { Expected } from './expected.js'
export { includes, type IncludesOptions } from './includes.js'
export { invert } from './invert.js'
export { jsonValid } from './json-valid.js'
export type { JudgeRange } from './judge-reply.js'
export { lengthBetween } from './length-between.js'
export { DEFAULT_LEVENSHTEIN_MAX_CELLS, levenshtein, type LevenshteinOptions } from './levenshtein.js'
export { defaultPrompt, type JudgePromptParts, llmJudge, type LlmJudgeOptions } from './llm-judge.js'
export { matchesSchema, type SchemaIssue } from './matches-schema.js'
export { numericCloseness, type NumericClosenessOptions } from './numeric-closeness.js'
export { rename } from './rename.js'
export { scale } from './scale.js'
export type { ScorerOptions } from './scorer-options.js'
export { threshold, type ThresholdBounds } from './threshold.js'
export { type WeightedScorer, weightedAvg } from './weighted-avg.js'
