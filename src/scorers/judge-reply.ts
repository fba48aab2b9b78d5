/**
 * Reading a score out of an LLM judge's free-text reply.
 *
 * Forms understood, in order of precedence:
 * 1. JSON — the whole reply, a fenced code block, or the outermost `{…}` — with a `score` field
 *    (a number or a string such as `"7/10"`), an optional `max` (or `out_of`) and an optional `reasoning` (or
 *    `reason`, `explanation`, `rationale`, `justification`).
 * 2. A labelled score: the last `Score: 7/10`, `Rating = 4 out of 5`, `final grade: 85%`, `score of 0.8`.
 * 3. A reply (or its last line) that is only a score: `0.8`, `7/10`, `4 out of 5`, `85%`.
 * 4. The only fraction or percentage anywhere in the reply.
 *
 * Normalisation to [0, 1]: `a/b` and `a out of b` → a ÷ b; `p%` → p ÷ 100; a bare number is read on the
 * judge's `range` when one is given ((x − min) ÷ (max − min)); without one, a number in [0, 1] is taken
 * as is, one in (1, 10] as out of 10 and one in (10, 100] as out of 100 (the assumption is recorded).
 * A reply with no readable score, or a score outside [0, 1] after normalisation, is an error.
 */

/** A score read from a judge's reply. */
export interface JudgeVerdict {
  /** The score normalised to [0, 1]. */
  readonly score: number
  /** The text the score was read from (`7/10`, `0.8`, `85%`). */
  readonly rawScore: string
  /** The judge's reasoning, when the reply has any besides the score. */
  readonly reasoning: string | undefined
  /** How a bare number was read when no range was given (`out of 10`), if it was not already in [0, 1]. */
  readonly assumedScale: string | undefined
}

/** Scale the judge was asked to score on. */
export type JudgeRange = readonly [min: number, max: number]

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d+)?|\.\d+)`
const EXPRESSION = String.raw`(${NUMBER})(?:\s*\**\s*(?:\/|out\s+of)\s*\**\s*(${NUMBER})|\s*(%))?`
const LABELLED = new RegExp(String.raw`\b(?:score|rating|grade)\b[^\d\n+.-]{0,24}?${EXPRESSION}`, 'gi')
const ALONE = new RegExp(String.raw`^[\s*"'\x60]*${EXPRESSION}[\s*"'\x60.]*$`, 'i')
const FRACTION_OR_PERCENT = new RegExp(
  // The lookbehind starts a match only at the beginning of a number, keeping long digit runs linear.
  String.raw`(?<![\d.])(${NUMBER})(?:\s*(?:\/|out\s+of)\s*(${NUMBER})|\s*(%))`,
  'gi',
)
const REASONING_KEYS = ['reasoning', 'reason', 'explanation', 'rationale', 'justification'] as const
const MAX_KEYS = ['max', 'out_of', 'outOf', 'max_score', 'maxScore'] as const

interface Expression {
  readonly value: number
  readonly denominator: number | undefined
  readonly percent: boolean
  readonly text: string
}

/**
 * Reads and normalises the score in a judge's reply; throws an `Error` quoting the reply when there is none.
 */
export function parseJudgeReply(reply: string, range?: JudgeRange): JudgeVerdict {
  const found = fromJson(reply) ?? fromText(reply)
  if (found === undefined) {
    throw new Error(
      `could not read a score from the judge's reply ${quote(reply)}; ` +
        'have the judge end with "Score: <number>" or answer JSON {"score": …}',
    )
  }
  const { score, assumedScale } = normalise(found.expression, range)
  return { score, rawScore: found.expression.text, reasoning: found.reasoning, assumedScale }
}

interface Found {
  readonly expression: Expression
  readonly reasoning: string | undefined
}

function fromJson(reply: string): Found | undefined {
  for (const candidate of jsonCandidates(reply)) {
    let parsed: unknown
    try {
      parsed = JSON.parse(candidate)
    } catch {
      continue
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('score' in parsed))
      continue
    const record = parsed as Record<string, unknown>
    const expression = jsonScore(
      record.score,
      MAX_KEYS.map((key) => record[key]).find((value) => value !== undefined),
    )
    if (expression === undefined) continue
    const reasoning = REASONING_KEYS.map((key) => record[key]).find((value) => typeof value === 'string')
    return {
      expression,
      reasoning: typeof reasoning === 'string' ? reasoning.trim() || undefined : undefined,
    }
  }
  return undefined
}

function* jsonCandidates(reply: string): Generator<string> {
  const trimmed = reply.trim()
  yield trimmed
  for (const match of reply.matchAll(/```(?:json)?\s*\n?([\s\S]*?)```/gi)) yield (match[1] as string).trim()
  const open = reply.indexOf('{')
  const close = reply.lastIndexOf('}')
  if (open !== -1 && close > open) yield reply.slice(open, close + 1)
}

function jsonScore(score: unknown, max: unknown): Expression | undefined {
  let expression: Expression | undefined
  if (typeof score === 'number' && Number.isFinite(score)) {
    expression = { value: score, denominator: undefined, percent: false, text: String(score) }
  } else if (typeof score === 'string') {
    expression = parseAlone(score)
  }
  if (expression === undefined) return undefined
  if (
    expression.denominator === undefined &&
    !expression.percent &&
    typeof max === 'number' &&
    Number.isFinite(max)
  ) {
    return { ...expression, denominator: max, text: `${expression.text}/${max}` }
  }
  return expression
}

function fromText(reply: string): Found | undefined {
  const labelled = [...reply.matchAll(LABELLED)].at(-1)
  if (labelled !== undefined)
    return { expression: toExpression(labelled), reasoning: reasoningAround(reply, labelled) }
  const whole = parseAlone(reply)
  if (whole !== undefined) return { expression: whole, reasoning: undefined }
  const lines = reply.trimEnd().split('\n')
  const lastLine = parseAlone(lines.at(-1) ?? '')
  if (lastLine !== undefined) {
    return { expression: lastLine, reasoning: cleanReasoning(lines.slice(0, -1).join('\n')) }
  }
  const scattered = [...reply.matchAll(FRACTION_OR_PERCENT)]
  if (scattered.length === 1) {
    const only = scattered[0] as RegExpExecArray
    return { expression: toExpression(only), reasoning: reasoningAround(reply, only) }
  }
  return undefined
}

function parseAlone(text: string): Expression | undefined {
  const match = ALONE.exec(text)
  return match === null ? undefined : toExpression(match)
}

function toExpression(match: RegExpMatchArray | RegExpExecArray): Expression {
  // The groups are the last three captures: value, denominator, percent sign.
  const groups = match.slice(-3)
  const value = Number(groups[0])
  const denominator = groups[1] === undefined ? undefined : Number(groups[1])
  const percent = groups[2] !== undefined
  const text = `${groups[0]}${denominator !== undefined ? `/${groups[1]}` : ''}${percent ? '%' : ''}`
  return { value, denominator, percent, text }
}

function reasoningAround(reply: string, match: RegExpMatchArray): string | undefined {
  const index = match.index ?? 0
  return cleanReasoning(reply.slice(0, index)) ?? cleanReasoning(reply.slice(index + match[0].length))
}

function cleanReasoning(text: string): string | undefined {
  const cleaned = text
    .trim()
    .replace(/^[*#\s]*(?:reasoning|reason|explanation|rationale)\s*[:*]*\s*/i, '')
    .replace(/[\s*#-]*$/, '')
    .trim()
  return cleaned === '' ? undefined : cleaned
}

function normalise(
  expression: Expression,
  range: JudgeRange | undefined,
): { score: number; assumedScale: string | undefined } {
  let score: number
  let assumedScale: string | undefined
  if (expression.denominator !== undefined) {
    if (!(expression.denominator > 0))
      throw new Error(`the judge's score ${expression.text} has a denominator that is not positive`)
    score = expression.value / expression.denominator
  } else if (expression.percent) {
    score = expression.value / 100
  } else if (range !== undefined) {
    score = (expression.value - range[0]) / (range[1] - range[0])
  } else if (expression.value > 1 && expression.value <= 10) {
    score = expression.value / 10
    assumedScale = 'out of 10'
  } else if (expression.value > 10 && expression.value <= 100) {
    score = expression.value / 100
    assumedScale = 'out of 100'
  } else {
    score = expression.value
  }
  if (!(score >= 0 && score <= 1)) {
    const scale = range !== undefined ? ` on the range [${range[0]}, ${range[1]}]` : ''
    throw new Error(`the judge's score ${expression.text}${scale} is outside [0, 1] once normalised`)
  }
  return { score, assumedScale }
}

function quote(reply: string): string {
  return JSON.stringify(reply.length > 200 ? `${reply.slice(0, 200)}…` : reply)
}
