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
      aggregate: 'avg',
      comparator: '>=',
      target: { kind: 'number', value: 0.8 },
    })
  })

  it('a bare baseline target is a regression gate without adjustment', () => {
    expect(parseThreshold('mean > baseline')).toEqual({
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
    expect(parseThreshold(source).target).toEqual({ kind: 'baseline', adjustment: { operator, amount } })
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
    expect(parseThreshold(source).target).toEqual({ kind: 'number', value })
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
  ])('%j prints canonically as %j, which parses to the same tree', (source, printed) => {
    const tree = parseThreshold(source)
    expect(printThreshold(tree)).toBe(printed)
    expect(parseThreshold(printed)).toEqual(tree)
  })
})
