/**
 * Properties of the threshold parser: every valid expression round-trips through the printer, and no
 * input crashes it (it returns a tree or throws a ThresholdParseError with a column inside the input).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseThreshold, ThresholdParseError } from '../../reporter/gate/expression-parser.js'
import { printThreshold } from '../../reporter/gate/expression-printer.js'
import {
  AGGREGATES,
  type Aggregate,
  BASELINE_OPERATORS,
  COMPARATORS,
  type ThresholdExpression,
  type ThresholdTarget,
  TRIAL_AGGREGATES,
} from '../../reporter/gate/threshold-expression.js'

/** Finite doubles; -0 is left out because it is written and read back as 0. */
const finite = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((value) => !Object.is(value, -0))

const target: fc.Arbitrary<ThresholdTarget> = fc.oneof(
  finite.map((value): ThresholdTarget => ({ kind: 'number', value })),
  fc.constant<ThresholdTarget>({ kind: 'baseline' }),
  fc
    .tuple(fc.constantFrom(...BASELINE_OPERATORS), finite)
    .map(([operator, amount]): ThresholdTarget => ({ kind: 'baseline', adjustment: { operator, amount } })),
)

/** Every aggregate: the words, and pass_at(k) / pass_all(k) with k from 1 to 10,000. */
const aggregate: fc.Arbitrary<Aggregate> = fc.oneof(
  fc.constantFrom(...AGGREGATES),
  fc
    .tuple(fc.constantFrom(...TRIAL_AGGREGATES), fc.integer({ min: 1, max: 10_000 }))
    .map(([name, k]): Aggregate => ({ name, k })),
)

/** Finite margins ≥ 0 (`no regression beyond <margin>`). */
const margin = finite.map((value) => Math.abs(value))

const expression: fc.Arbitrary<ThresholdExpression> = fc.oneof(
  fc.record({
    kind: fc.constant('comparison' as const),
    aggregate,
    comparator: fc.constantFrom(...COMPARATORS),
    target,
  }),
  fc.constant<ThresholdExpression>({ kind: 'no regression' }),
  margin.map((value): ThresholdExpression => ({ kind: 'no regression', margin: value })),
)

const space = fc.stringMatching(/^[ \t\n]{0,3}$/)

/** A number written in any form the grammar allows: shortest, exponent, with an explicit sign. */
function written(value: number): fc.Arbitrary<string> {
  const forms = [String(value), value.toExponential(), value.toExponential().toUpperCase()]
  if (value > 0) forms.push(`+${String(value)}`)
  return fc.constantFrom(...forms)
}

/** Spacing between words: at least one blank. */
const wordGap = fc.stringMatching(/^[ \t\n]{1,3}$/)

/** An aggregate written with arbitrary spacing inside `pass_at( 5 )`. */
function writtenAggregate(value: Aggregate): fc.Arbitrary<string> {
  if (typeof value === 'string') return fc.constant(value)
  return fc.tuple(space, space, space).map(([a, b, c]) => `${value.name}${a}(${b}${value.k}${c})`)
}

/** The expression written with arbitrary spacing and number forms. */
const writtenExpression: fc.Arbitrary<[string, ThresholdExpression]> = expression.chain((tree) => {
  if (tree.kind === 'no regression') {
    const rest =
      tree.margin === undefined
        ? fc.constant('')
        : fc.tuple(wordGap, wordGap, written(tree.margin)).map(([a, b, value]) => `${a}beyond${b}${value}`)
    return fc
      .tuple(space, wordGap, rest)
      .map(([outer, gap, tail]): [string, ThresholdExpression] => [
        `${outer}no${gap}regression${tail}${outer}`,
        tree,
      ])
  }
  const { target } = tree
  const targetText: fc.Arbitrary<string> =
    target.kind === 'number'
      ? written(target.value)
      : target.adjustment === undefined
        ? fc.constant('baseline')
        : fc
            .tuple(space, written(target.adjustment.amount))
            .map(([gap, amount]) => `baseline${gap}${target.adjustment?.operator}${gap}${amount}`)
  return fc
    .tuple(space, space, space, targetText, writtenAggregate(tree.aggregate))
    .map(([a, b, c, rhs, lhs]): [string, ThresholdExpression] => [
      `${a}${lhs}${b}${tree.comparator}${c}${rhs}${a}`,
      tree,
    ])
})

/** Text made of the grammar's own pieces, so many inputs get deep into the parser before failing. */
const tokenSoup = fc
  .array(
    fc.constantFrom(
      'avg',
      'p95',
      'pass_rate',
      'ci_low',
      'pass_at',
      'pass_all(',
      '(',
      ')',
      '(3)',
      'no',
      'regression',
      'no regression',
      'beyond',
      'beyond 0.05',
      'regresion',
      'baseline',
      'basline',
      '>=',
      '>',
      '==',
      '=',
      '!=',
      '<',
      '+',
      '-',
      '*',
      '/',
      '0.5',
      '.',
      '1e',
      'e',
      '1e999',
      '-0',
      ' ',
      '\t',
      '%',
      '(',
      'x',
      '😀',
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(''))

function outcome(source: string): ThresholdExpression | ThresholdParseError {
  try {
    return parseThreshold(source)
  } catch (error) {
    if (error instanceof ThresholdParseError) return error
    throw error
  }
}

describe('round trip', () => {
  it('printing any tree and parsing the text gives the same tree', () => {
    fc.assert(
      fc.property(expression, (tree) => {
        expect(parseThreshold(printThreshold(tree))).toEqual(tree)
      }),
      { numRuns: 2000 },
    )
  })

  it('any valid way of writing an expression parses to its tree, and parse → print → parse is stable', () => {
    fc.assert(
      fc.property(writtenExpression, ([source, tree]) => {
        const parsed = parseThreshold(source)
        expect(parsed).toEqual(tree)
        expect(parseThreshold(printThreshold(parsed))).toEqual(parsed)
      }),
      { numRuns: 2000 },
    )
  })
})

describe('no input crashes the parser', () => {
  for (const [name, input] of [
    ['arbitrary strings', fc.string({ unit: 'binary', maxLength: 40 })],
    ['strings of grammar pieces', tokenSoup],
  ] as const) {
    it(`${name} give a tree or a ThresholdParseError with a column inside the input`, () => {
      fc.assert(
        fc.property(input, (source) => {
          const result = outcome(source)
          if (result instanceof ThresholdParseError) {
            expect(result.column).toBeGreaterThanOrEqual(1)
            expect(result.column).toBeLessThanOrEqual(source.length + 1)
            expect(result.message).toContain(`column ${result.column}`)
          } else {
            expect(parseThreshold(printThreshold(result))).toEqual(result)
          }
        }),
        { numRuns: 3000 },
      )
    })
  }
})
