/**
 * Threshold expressions: `<aggregate> <op> <target>` parsed by a tokenizer and parser (no eval), with
 * errors that name the column and what would fit, and a printer whose output parses to the same tree.
 */
import { describe, expect, it } from 'vitest'
import { parseThreshold, ThresholdParseError } from '../../reporter/gate/expression-parser.js'
import { printThreshold } from '../../reporter/gate/expression-printer.js'
import { AGGREGATES, COMPARATORS } from '../../reporter/gate/threshold-expression.js'

function parseError(source: string): ThresholdParseError {
  try {
    parseThreshold(source)
  } catch (error) {
    if (error instanceof ThresholdParseError) return error
    throw error
  }
  throw new Error(`${JSON.stringify(source)} parsed`)
}

describe('valid expressions', () => {
  it('a number target: avg >= 0.8', () => {
    expect(parseThreshold('avg >= 0.8')).toEqual({
      kind: 'comparison',
      aggregate: 'avg',
      comparator: '>=',
      target: { kind: 'number', value: 0.8 },
    })
  })

  it('a bare baseline target is a regression gate without adjustment', () => {
    expect(parseThreshold('mean > baseline')).toEqual({
      kind: 'comparison',
      aggregate: 'mean',
      comparator: '>',
      target: { kind: 'baseline' },
    })
  })

  it.each([
    ['avg >= baseline - 0.05', '-', 0.05],
    ['p95 <= baseline + 100', '+', 100],
    ['pass_rate >= baseline * 0.95', '*', 0.95],
  ] as const)('%s adjusts the baseline with %s %d', (source, operator, amount) => {
    expect(parseThreshold(source)).toMatchObject({
      target: { kind: 'baseline', adjustment: { operator, amount } },
    })
  })

  it('every aggregate and comparator is accepted', () => {
    for (const aggregate of AGGREGATES) {
      for (const comparator of COMPARATORS) {
        expect(parseThreshold(`${aggregate} ${comparator} 1`)).toMatchObject({ aggregate, comparator })
      }
    }
  })

  it('whitespace between tokens is optional and may be any amount', () => {
    expect(parseThreshold('  p99<=baseline*1.1\t')).toEqual(parseThreshold('p99 <= baseline * 1.1'))
  })

  it.each([
    ['min >= -1', -1],
    ['max < +2', 2],
    ['sum == 1e3', 1000],
    ['count > .5', 0.5],
    ['avg >= 2.', 2],
    ['avg >= 1.5E-2', 0.015],
    ['avg >= -0', 0],
  ])('the number in %s reads as %d', (source, value) => {
    expect(parseThreshold(source)).toMatchObject({ target: { kind: 'number', value } })
  })
})

describe('errors name what is wrong, the column, and what would fit', () => {
  it('an unknown aggregate names itself at column 1 and lists the aggregates, suggesting the nearest', () => {
    const error = parseError('averag >= 0.8')
    expect(error.column).toBe(1)
    expect(error.message).toContain('unknown aggregate "averag" at column 1')
    expect(error.message).toContain('did you mean "avg"')
    expect(error.message).toContain(
      'expected one of avg, mean, min, max, sum, count, p50, p90, p95, p99, pass_rate',
    )
  })

  it('"=" is not a comparator and the error suggests "=="', () => {
    const error = parseError('avg = 0.8')
    expect(error.column).toBe(5)
    expect(error.message).toContain('unsupported comparator "="')
    expect(error.message).toContain('did you mean "=="')
  })

  it('a missing target points one past the end', () => {
    const error = parseError('avg >=')
    expect(error.column).toBe(7)
    expect(error.message).toContain('end of expression')
    expect(error.message).toContain('expected a number or "baseline"')
  })

  it('a misspelt baseline is suggested', () => {
    const error = parseError('avg >= basline - 0.1')
    expect(error.column).toBe(8)
    expect(error.message).toContain('did you mean "baseline"')
  })

  it('trailing text after the target is refused at its column', () => {
    expect(parseError('avg >= 0.8 or more').column).toBe(12)
  })

  it('a stray character is refused at its column', () => {
    const error = parseError('avg >= 80%')
    expect(error.column).toBe(10)
    expect(error.message).toContain('unexpected character "%"')
  })

  it.each([
    ['', 1],
    ['   ', 4],
    ['0.8 <= avg', 1],
    ['avg 0.8', 5],
    ['avg >= baseline 0.1', 17],
    ['avg >= baseline / 2', 17],
    ['avg >= --1', 9],
    ['avg >= 1e999', 8],
    ['avg != 1', 5],
    ['avg => 1', 5],
  ])('%j fails at column %d', (source, column) => {
    expect(parseError(source).column).toBe(column)
  })

  it('the error carries the source and the problem without the position', () => {
    const error = parseError('avg >> 1')
    expect(error.source).toBe('avg >> 1')
    expect(error.problem).not.toContain('column')
  })
})

describe('printing', () => {
  it.each([
    ['avg>=0.8', 'avg >= 0.8'],
    ['p95 <=baseline*1.1', 'p95 <= baseline * 1.1'],
    ['min >= -1', 'min >= -1'],
    ['sum == 1e21', 'sum == 1e+21'],
    ['count > .5', 'count > 0.5'],
    ['no  regression', 'no regression'],
    ['no regression beyond .05', 'no regression beyond 0.05'],
    ['pass_at( 5 )>=0.9', 'pass_at(5) >= 0.9'],
    ['ci_low>=baseline-0.1', 'ci_low >= baseline - 0.1'],
  ])('%j prints canonically as %j, which parses to the same tree', (source, printed) => {
    const tree = parseThreshold(source)
    expect(printThreshold(tree)).toBe(printed)
    expect(parseThreshold(printed)).toEqual(tree)
  })
})

describe('significance-aware forms', () => {
  it('"no regression" and "no regression beyond <margin>" are regression gates against the baseline', () => {
    expect(parseThreshold('no regression')).toEqual({ kind: 'no regression' })
    expect(parseThreshold('no regression beyond 0.05')).toEqual({ kind: 'no regression', margin: 0.05 })
    expect(parseThreshold('  no\tregression   beyond +1e-2 ')).toEqual({
      kind: 'no regression',
      margin: 0.01,
    })
  })

  it('ci_low and ci_high are aggregates compared like any other', () => {
    expect(parseThreshold('ci_low >= 0.8')).toEqual({
      kind: 'comparison',
      aggregate: 'ci_low',
      comparator: '>=',
      target: { kind: 'number', value: 0.8 },
    })
    expect(parseThreshold('ci_high < baseline')).toMatchObject({
      aggregate: 'ci_high',
      target: { kind: 'baseline' },
    })
  })

  it('pass_at(k) and pass_all(k) take a whole number of trials', () => {
    expect(parseThreshold('pass_at(5) >= 0.9')).toMatchObject({ aggregate: { name: 'pass_at', k: 5 } })
    expect(parseThreshold('pass_all( 3 )>=0.5')).toMatchObject({ aggregate: { name: 'pass_all', k: 3 } })
  })

  it.each([
    ['no regresion', 4, 'expected "regression" after "no"', 'did you mean "regression"'],
    [
      'no',
      3,
      'expected "regression" after "no", found the end of the expression',
      'no regression beyond <margin>',
    ],
    ['no regression by 0.1', 15, 'unexpected word "by" after "no regression"', 'no regression beyond 0.05'],
    ['no regression beyon 0.1', 15, 'unexpected word "beyon"', 'did you mean "beyond"'],
    ['no regression beyond -0.1', 22, 'must be 0 or more, found -0.1', 'how much worse'],
    ['no regression beyond', 21, 'expected a number after "beyond"', ''],
    ['no regression beyond 0.1 please', 26, 'unexpected word "please"', 'ends after the margin'],
    ['pass_at >= 0.9', 9, 'pass_at takes a number of trials, found ">="', 'write pass_at(k)'],
    ['pass_at(0) >= 1', 9, 'must be a whole number from 1 to 10000, found 0', ''],
    ['pass_all(2.5) >= 1', 10, 'found 2.5', ''],
    ['pass_at(x) >= 1', 9, 'expected the number of trials of pass_at, found word "x"', ''],
    ['pass_at(3 >= 1', 11, 'expected ")" after pass_at(3, found ">="', ''],
    ['no_regression', 1, 'unknown aggregate "no_regression"', 'did you mean "no regression"'],
    ['passat(3) >= 1', 1, 'unknown aggregate "passat"', 'did you mean "pass_at(k)"'],
    ['ci_lo >= 0.8', 1, 'unknown aggregate "ci_lo"', 'did you mean "ci_low"'],
  ])('%j fails at column %d: %s', (source, column, problem, hint) => {
    const error = parseError(source)
    expect(error.column).toBe(column)
    expect(error.message).toContain(problem)
    expect(error.message).toContain(hint)
  })

  it('the list of aggregates in errors names the new ones', () => {
    expect(parseError('averag >= 1').message).toContain(
      'expected one of avg, mean, min, max, sum, count, p50, p90, p95, p99, pass_rate, ci_low, ci_high, pass_at(k), pass_all(k), or "no regression"',
    )
  })
})
