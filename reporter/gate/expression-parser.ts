/**
 * The threshold expression parser: a tokenizer and a recursive-descent parser over this grammar (no
 * `eval`; whitespace between tokens is optional except between words):
 *
 * ```
 * expression := comparison | regression
 * comparison := aggregate comparator target
 * regression := "no" "regression" [ "beyond" number ]
 * aggregate  := avg | mean | min | max | sum | count | p50 | p90 | p95 | p99 | pass_rate | ci_low | ci_high
 *             | ( pass_at | pass_all ) "(" integer ")"
 * comparator := >= | > | <= | < | ==
 * target     := number | "baseline" [ ("+" | "-" | "*") number ]
 * number     := ["+" | "-"] (digits ["." digits] | "." digits) [("e" | "E") ["+" | "-"] digits]
 * ```
 */
import { closestWord } from './closest-word.js'
import { EXPRESSION_SHAPE, type Token, tokenize } from './expression-tokenizer.js'
import {
  AGGREGATES,
  type Aggregate,
  BASELINE_OPERATORS,
  COMPARATORS,
  isAggregate,
  isBaselineOperator,
  isComparator,
  isTrialAggregateName,
  type ThresholdExpression,
  type ThresholdTarget,
  TRIAL_AGGREGATES,
} from './threshold-expression.js'
import { ThresholdParseError } from './threshold-parse-error.js'

export { ThresholdParseError } from './threshold-parse-error.js'

const TRIAL_CALLS = TRIAL_AGGREGATES.map((name) => `${name}(k)`).join(', ')
const EXPECTED_AGGREGATE = `expected one of ${AGGREGATES.join(', ')}, ${TRIAL_CALLS}, or "no regression"`
const EXPECTED_COMPARATOR = `expected one of ${COMPARATORS.join(', ')}`
const EXPECTED_TARGET = 'expected a number or "baseline" (e.g. "0.8", "baseline - 0.05")'
/** The largest number of trials `pass_at(k)` and `pass_all(k)` accept. */
const MAX_TRIALS = 10_000
/** What a comparator-like operator the grammar lacks was probably meant to be. */
const COMPARATOR_NEAR_MISSES: Record<string, string> = { '=': '==', '=>': '>=', '=<': '<=' }

/** Parses a threshold expression; throws a {@link ThresholdParseError} naming the column of the problem. */
export function parseThreshold(source: string): ThresholdExpression {
  const tokens = tokenize(source)
  let position = 0
  const peek = (): Token => tokens[position] as Token
  const next = (): Token => tokens[position++] as Token
  const problem = (what: string, token: Token, hint?: string): ThresholdParseError =>
    new ThresholdParseError(what, source, token.column, hint)

  if (peek().kind === 'end') throw problem('empty threshold expression', peek(), EXPRESSION_SHAPE)
  if (peek().kind === 'word' && peek().text === 'no') return parseRegression()

  const aggregate = parseAggregate()
  const comparatorToken = next()
  const comparator = comparatorToken.text
  if (comparatorToken.kind !== 'operator' || !isComparator(comparator)) {
    const meant = COMPARATOR_NEAR_MISSES[comparator]
    throw problem(
      comparatorToken.kind === 'operator'
        ? `unsupported comparator ${JSON.stringify(comparator)}`
        : `expected a comparator after the aggregate, found ${describe(comparatorToken)}`,
      comparatorToken,
      meant === undefined ? EXPECTED_COMPARATOR : `did you mean "${meant}"? ${EXPECTED_COMPARATOR}`,
    )
  }
  const target = parseTarget()
  expectEnd('the expression ends after its target')
  return { kind: 'comparison', aggregate, comparator, target }

  function parseAggregate(): Aggregate {
    const token = next()
    if (token.kind !== 'word') {
      throw problem(
        `expected an aggregate, found ${describe(token)}`,
        token,
        `${EXPECTED_AGGREGATE}; ${EXPRESSION_SHAPE}`,
      )
    }
    if (isAggregate(token.text)) return token.text
    if (isTrialAggregateName(token.text)) {
      const open = next()
      if (open.kind !== 'operator' || open.text !== '(') {
        throw problem(
          `${token.text} takes a number of trials, found ${describe(open)}`,
          open,
          `write ${token.text}(k), e.g. "${token.text}(5) >= 0.9"`,
        )
      }
      const count = next()
      const k = count.kind === 'number' ? Number(count.text) : Number.NaN
      if (!Number.isInteger(k) || k < 1 || k > MAX_TRIALS) {
        throw problem(
          count.kind === 'number'
            ? `the number of trials of ${token.text} must be a whole number from 1 to ${MAX_TRIALS}, ` +
                `found ${count.text}`
            : `expected the number of trials of ${token.text}, found ${describe(count)}`,
          count,
          `write ${token.text}(k), e.g. "${token.text}(5) >= 0.9"`,
        )
      }
      const close = next()
      if (close.kind !== 'operator' || close.text !== ')') {
        throw problem(`expected ")" after ${token.text}(${k}, found ${describe(close)}`, close)
      }
      return { name: token.text, k }
    }
    const guess = suggestAggregate(token.text)
    throw problem(
      `unknown aggregate ${JSON.stringify(token.text)}`,
      token,
      `${guess === undefined ? '' : `did you mean "${guess}"? `}${EXPECTED_AGGREGATE}`,
    )
  }

  function parseRegression(): ThresholdExpression {
    next()
    const word = next()
    if (word.kind !== 'word' || word.text !== 'regression') {
      const guess = word.kind === 'word' ? closestWord(word.text.toLowerCase(), ['regression'], 3) : undefined
      throw problem(
        `expected "regression" after "no", found ${describe(word)}`,
        word,
        `${guess === undefined ? '' : 'did you mean "regression"? '}` +
          'write "no regression" or "no regression beyond <margin>"',
      )
    }
    const beyond = peek()
    if (beyond.kind === 'end') return { kind: 'no regression' }
    if (beyond.kind !== 'word' || beyond.text !== 'beyond') {
      const guess = beyond.kind === 'word' ? closestWord(beyond.text.toLowerCase(), ['beyond']) : undefined
      throw problem(
        `unexpected ${describe(beyond)} after "no regression"`,
        beyond,
        `${guess === undefined ? '' : 'did you mean "beyond"? '}` +
          'write "no regression" or "no regression beyond <margin>", e.g. "no regression beyond 0.05"',
      )
    }
    next()
    const marginToken = peek()
    const margin = parseNumber('after "beyond"')
    if (margin < 0) {
      throw problem(
        `the margin of "no regression beyond" must be 0 or more, found ${margin}`,
        marginToken,
        'it is how much worse the candidate may be, e.g. "no regression beyond 0.05"',
      )
    }
    expectEnd('the expression ends after the margin')
    return { kind: 'no regression', margin }
  }

  function parseTarget(): ThresholdTarget {
    const token = peek()
    if (token.kind === 'word') {
      if (token.text !== 'baseline') {
        const guess = closestWord(token.text.toLowerCase(), ['baseline'])
        throw problem(
          `unknown word ${JSON.stringify(token.text)}`,
          token,
          guess === undefined ? EXPECTED_TARGET : `did you mean "baseline"? ${EXPECTED_TARGET}`,
        )
      }
      next()
      const operatorToken = peek()
      if (operatorToken.kind === 'end') return { kind: 'baseline' }
      if (operatorToken.kind !== 'operator' || !isBaselineOperator(operatorToken.text)) {
        throw problem(
          `unexpected ${describe(operatorToken)} after "baseline"`,
          operatorToken,
          `expected one of ${BASELINE_OPERATORS.join(', ')} and a number, or the end of the expression`,
        )
      }
      next()
      const amount = parseNumber(`after "baseline ${operatorToken.text}"`)
      return { kind: 'baseline', adjustment: { operator: operatorToken.text, amount } }
    }
    return { kind: 'number', value: parseNumber(`after "${tokens[position - 1]?.text ?? ''}"`) }
  }

  function parseNumber(context: string): number {
    let sign = 1
    let token = next()
    if (token.kind === 'operator' && (token.text === '-' || token.text === '+')) {
      sign = token.text === '-' ? -1 : 1
      token = next()
    }
    if (token.kind !== 'number') {
      throw problem(`expected a number ${context}, found ${describe(token)}`, token, EXPECTED_TARGET)
    }
    const value = sign * Number(token.text)
    if (!Number.isFinite(value)) throw problem(`number ${token.text} is out of range`, token)
    // -0 reads back as 0, so printing and parsing again gives the same tree.
    return value === 0 ? 0 : value
  }

  function expectEnd(hint: string): void {
    const trailing = peek()
    if (trailing.kind !== 'end') throw problem(`unexpected ${describe(trailing)}`, trailing, hint)
  }
}

/** The parse error of `source`, or `undefined` when it parses. */
export function thresholdParseError(source: string): ThresholdParseError | undefined {
  try {
    parseThreshold(source)
    return undefined
  } catch (error) {
    if (error instanceof ThresholdParseError) return error
    throw error
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the expression'
  if (token.kind === 'number') return `number ${token.text}`
  if (token.kind === 'operator') return `"${token.text}"`
  return `word ${JSON.stringify(token.text)}`
}

/** Words people write for an aggregate, mapped to the aggregate meant. */
const AGGREGATE_ALIASES: Record<string, string> = {
  average: 'avg',
  median: 'p50',
  minimum: 'min',
  maximum: 'max',
  total: 'sum',
  passrate: 'pass_rate',
  success_rate: 'pass_rate',
  no_regression: 'no regression',
  noregression: 'no regression',
  pass_at_k: 'pass_at(k)',
  pass_all_k: 'pass_all(k)',
}

/** The aggregate `word` probably meant: an alias it starts, or an aggregate a couple of edits away. */
function suggestAggregate(word: string): string | undefined {
  const lower = word.toLowerCase()
  if (isAggregate(lower)) return lower
  if (isTrialAggregateName(lower)) return `${lower}(k)`
  if (lower.length >= 3) {
    for (const [alias, aggregate] of Object.entries(AGGREGATE_ALIASES)) {
      if (alias.startsWith(lower)) return aggregate
    }
  }
  const near = closestWord(lower, [...AGGREGATES, ...TRIAL_AGGREGATES])
  return near !== undefined && isTrialAggregateName(near) ? `${near}(k)` : near
}
