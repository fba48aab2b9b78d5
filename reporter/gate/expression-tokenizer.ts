/**
 * Splits a threshold expression into tokens (words, numbers, operators), each with the 1-based column
 * it starts at, so every parse error can say where it happened.
 */
import { ThresholdParseError } from './threshold-parse-error.js'

/** What an expression looks like, for error hints. */
export const EXPRESSION_SHAPE =
  'an expression is "<aggregate> <op> <number | baseline [+|-|* number]>" ' +
  'or "no regression [beyond <margin>]", e.g. "avg >= 0.8"'

/** One token of a threshold expression. */
export interface Token {
  readonly kind: 'word' | 'number' | 'operator' | 'end'
  /** The token's text as written (empty for `end`). */
  readonly text: string
  /** 1-based column of the token's first character (one past the last character for `end`). */
  readonly column: number
}

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y
const NUMBER = /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y
/** Longest first, so `>=` is not read as `>` then `=`. Includes the near-misses the parser explains. */
const OPERATORS = ['>=', '<=', '==', '!=', '=>', '=<', '>', '<', '=', '+', '-', '*', '/', '(', ')'] as const

/**
 * Tokens of `source`, ending with an `end` token; throws a {@link ThresholdParseError} on a stray character.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let index = 0
  while (index < source.length) {
    const char = source[index] as string
    if (/\s/.test(char)) {
      index++
      continue
    }
    const word = matchAt(WORD, source, index)
    if (word !== undefined) {
      // A word glued to a number's tail (`0.8x`) is caught by the parser as an unexpected word.
      tokens.push({ kind: 'word', text: word, column: index + 1 })
      index += word.length
      continue
    }
    const number = matchAt(NUMBER, source, index)
    if (number !== undefined) {
      tokens.push({ kind: 'number', text: number, column: index + 1 })
      index += number.length
      continue
    }
    const operator = OPERATORS.find((candidate) => source.startsWith(candidate, index))
    if (operator !== undefined) {
      tokens.push({ kind: 'operator', text: operator, column: index + 1 })
      index += operator.length
      continue
    }
    const codePoint = String.fromCodePoint(source.codePointAt(index) ?? 0)
    throw new ThresholdParseError(
      `unexpected character ${JSON.stringify(codePoint)}`,
      source,
      index + 1,
      EXPRESSION_SHAPE,
    )
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 })
  return tokens
}

function matchAt(pattern: RegExp, source: string, index: number): string | undefined {
  pattern.lastIndex = index
  return pattern.exec(source)?.[0]
}
