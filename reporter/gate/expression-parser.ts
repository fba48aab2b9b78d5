/**
 * The threshold expression parser: a tokenizer and a recursive-descent parser over this grammar (no
 * `eval`; whitespace between tokens is optional):
 *
 * ```
 * expression := aggregate comparator target
 * aggregate  := avg | mean | min | max | sum | count | p50 | p90 | p95 | p99 | pass_rate
 * comparator := >= | > | <= | < | ==
 * target     := number | "baseline" [ ("+" | "-" | "*") number ]
 * number     := ["+" | "-"] (digits ["." digits] | "." digits) [("e" | "E") ["+" | "-"] digits]
 * ```
 */
import { closestWord } from './closest-word.js'
import { type Token, tokenize } from './expression-tokenizer.js'
import {
  AGGREGATES,
  BASELINE_OPERATORS,
  COMPARATORS,
  isAggregate,
  isBaselineOperator,
  isComparator,
  type ThresholdExpression,
  type ThresholdTarget,
} from './threshold-expression.js'
import { ThresholdParseError } from './threshold-parse-error.js'

export { ThresholdParseError } from './threshold-parse-error.js'

const SHAPE = 'an expression is "<aggregate> <op> <number | baseline [+|-|* number]>", e.g. "avg >= 0.8"'
const EXPECTED_AGGREGATE = `expected one of ${AGGREGATES.join(', ')}`
const EXPECTED_COMPARATOR = `expected one of ${COMPARATORS.join(', ')}`
const EXPECTED_TARGET = 'expected a number or "baseline" (e.g. "0.8", "baseline - 0.05")'
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

  if (peek().kind === 'end') throw problem('empty threshold expression', peek(), SHAPE)

  const aggregateToken = next()
  if (aggregateToken.kind !== 'word') {
    throw problem(
      `expected an aggregate, found ${describe(aggregateToken)}`,
      aggregateToken,
      `${EXPECTED_AGGREGATE}; ${SHAPE}`,
    )
  }
  const aggregate = aggregateToken.text
  if (!isAggregate(aggregate)) {
    const guess = suggestAggregate(aggregate)
    throw problem(
      `unknown aggregate ${JSON.stringify(aggregate)}`,
      aggregateToken,
      `${guess === undefined ? '' : `did you mean "${guess}"? `}${EXPECTED_AGGREGATE}`,
    )
  }

  const comparatorToken = next()
  const comparator = comparatorToken.text
  if (comparatorToken.kind !== 'operator' || !isComparator(comparator)) {
    const meant = COMPARATOR_NEAR_MISSES[comparator]
    throw problem(
      comparatorToken.kind === 'operator'
        ? `unsupported comparator ${JSON.stringify(comparator)}`
        : `expected a comparator after "${aggregate}", found ${describe(comparatorToken)}`,
      comparatorToken,
      meant === undefined ? EXPECTED_COMPARATOR : `did you mean "${meant}"? ${EXPECTED_COMPARATOR}`,
    )
  }

  const target = parseTarget()
  const trailing = peek()
  if (trailing.kind !== 'end') {
    throw problem(`unexpected ${describe(trailing)}`, trailing, 'the expression ends after its target')
  }
  return { aggregate, comparator, target }

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
    return { kind: 'number', value: parseNumber(`after "${comparator}"`) }
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
}

/** The aggregate `word` probably meant: an alias it starts, or an aggregate a couple of edits away. */
function suggestAggregate(word: string): string | undefined {
  const lower = word.toLowerCase()
  if (isAggregate(lower)) return lower
  if (lower.length >= 3) {
    for (const [alias, aggregate] of Object.entries(AGGREGATE_ALIASES)) {
      if (alias.startsWith(lower)) return aggregate
    }
  }
  return closestWord(lower, AGGREGATES)
}
