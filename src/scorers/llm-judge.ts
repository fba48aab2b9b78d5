/**
 * `llmJudge`: a rubric graded by a model. strikes builds the prompt and reads the score; the model call
 * is a function the user passes in, so nothing reaches the network unless that function does. The call
 * runs marked as this scorer's, so a model wrapped by `strikes/ai` accounts its tokens and cost as
 * scoring (`<scorer>.input_tokens`, `<scorer>.cost_usd`, source `scorer`) rather than as the task's.
 */

import { activeFrame, runInFrame } from '../current.js'
import { describeKind } from '../describe-value.js'
import { cleanLabel } from '../labels.js'
import { type Scorer, type ScorerContext, scorer } from '../scorer.js'
import { canonicalJson } from '../serialise.js'
import type { Expected } from './expected.js'
import { type JudgeRange, parseJudgeReply } from './judge-reply.js'
import { nameFrom, type ScorerOptions } from './scorer-options.js'

/** The longest judge reply kept in metadata, in characters (`reply_truncated` marks a cut). */
const MAX_REPLY_CHARS = 4000

/** What a judge prompt is built from. */
export interface JudgePromptParts {
  /** What a good output does, in the user's words. */
  readonly rubric: string
  /** The task's input rendered as text (`undefined` when the task took no arguments). */
  readonly input: string | undefined
  /** The output to grade, rendered as text. */
  readonly output: string
  /** The expected output rendered as text, when there is one. */
  readonly expected: string | undefined
  /** The scale the judge should score on. */
  readonly range: JudgeRange
}

/** Options of `llmJudge`. */
export interface LlmJudgeOptions<A extends unknown[] = unknown[], E = unknown> extends ScorerOptions {
  /** Calls the model with a prompt and resolves to its reply text. */
  judge: (prompt: string) => Promise<string> | string
  /** What a good output does; the judge scores the output against it. */
  rubric: string
  /**
   * The scale the judge is asked to use, e.g. `[1, 5]`; bare numbers in the reply are read on it. Default
   * `[0, 1]`.
   */
  range?: JudgeRange
  /**
   * The expected output shown to the judge; default: the task's expected value, left out when there is none.
   */
  expected?: Expected<E, A>
  /** Builds the prompt yourself; the default asks for `Reasoning: …` then `Score: <number>`. */
  prompt?: (parts: JudgePromptParts) => string
}

/**
 * Scores the output by asking your `judge` function to grade it against `rubric`, normalised to [0, 1]
 * (default name `llm_judge`).
 */
export function llmJudge<R = unknown, A extends unknown[] = unknown[], E = unknown>(
  options: LlmJudgeOptions<A, E>,
): Scorer<R, A> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('strikes: llmJudge() needs options { judge, rubric }')
  }
  const name = nameFrom(options, 'llm_judge', 'llmJudge')
  const { judge, rubric, expected } = options
  if (typeof judge !== 'function') {
    throw new TypeError(
      'strikes: llmJudge(): option "judge" must be a function (prompt) => Promise<string>, ' +
        `got ${describeKind(judge)}`,
    )
  }
  if (typeof rubric !== 'string' || rubric.trim() === '') {
    throw new TypeError(
      'strikes: llmJudge(): option "rubric" must be a non-empty string saying what a good output does',
    )
  }
  const range = checkRange(options.range)
  const buildPrompt = options.prompt ?? defaultPrompt
  if (typeof buildPrompt !== 'function') {
    throw new TypeError(
      `strikes: llmJudge(): option "prompt" must be a function, got ${describeKind(buildPrompt)}`,
    )
  }
  return scorer<R, A>(name, async (output, context) => {
    const prompt = buildPrompt({
      rubric,
      input: renderInput(context),
      output: render(output),
      expected: renderExpected(expected, context),
      range: range ?? [0, 1],
    })
    // Model calls made by the judge are scoring: strikes/ai logs their tokens and cost as `<scorer>.*`
    // scorer metrics, never as the judged task's own.
    const reply: unknown = await runInFrame({ ...activeFrame(), scorer: cleanLabel(name) }, () =>
      judge(prompt),
    )
    if (typeof reply !== 'string')
      throw new TypeError(`the judge returned ${describeKind(reply)}, not the reply text`)
    const verdict = parseJudgeReply(reply, range)
    const metadata: Record<string, unknown> = { raw_score: verdict.rawScore }
    if (verdict.reasoning !== undefined) metadata.reasoning = verdict.reasoning
    if (verdict.assumedScale !== undefined) metadata.assumed_scale = verdict.assumedScale
    metadata.reply = reply.length > MAX_REPLY_CHARS ? `${reply.slice(0, MAX_REPLY_CHARS)}…` : reply
    if (reply.length > MAX_REPLY_CHARS) metadata.reply_truncated = true
    return { score: verdict.score, metadata }
  })
}

/** The default judge prompt: rubric, input, expected output (when known), output, and the answer format. */
export function defaultPrompt(parts: JudgePromptParts): string {
  const [min, max] = parts.range
  const sections = [
    'You are grading the output of an AI system against a rubric.',
    `## Rubric\n${parts.rubric}`,
  ]
  if (parts.input !== undefined) sections.push(`## Input\n${parts.input}`)
  if (parts.expected !== undefined) sections.push(`## Expected output\n${parts.expected}`)
  sections.push(`## Output to grade\n${parts.output}`)
  sections.push(
    'Judge how well the output satisfies the rubric. Answer in exactly this form:\n' +
      'Reasoning: <a few sentences>\n' +
      `Score: <a number from ${min} to ${max}, where ${max} means the rubric is fully satisfied>`,
  )
  return sections.join('\n\n')
}

function checkRange(range: unknown): JudgeRange | undefined {
  if (range === undefined) return undefined
  if (
    !Array.isArray(range) ||
    range.length !== 2 ||
    !range.every((bound) => typeof bound === 'number' && Number.isFinite(bound)) ||
    !((range[0] as number) < (range[1] as number))
  ) {
    throw new TypeError(
      'strikes: llmJudge(): option "range" must be [min, max] with finite min < max, ' +
        `got ${canonicalJson(range)}`,
    )
  }
  return [range[0] as number, range[1] as number]
}

/** Text of a value for the prompt: strings as they are, anything else as canonical JSON (never throws). */
function render(value: unknown): string {
  return typeof value === 'string' ? value : canonicalJson(value)
}

function renderInput(context: ScorerContext<unknown[]>): string | undefined {
  const args = context.args
  if (args.length === 0) return undefined
  return args.length === 1 ? render(args[0]) : render(args)
}

function renderExpected<A extends unknown[], E>(
  expected: Expected<E, A> | undefined,
  context: ScorerContext<A>,
): string | undefined {
  const value: unknown =
    typeof expected === 'function'
      ? (expected as (context: ScorerContext<A>) => E)(context)
      : (expected ?? context.expected)
  return value === undefined ? undefined : render(value)
}
