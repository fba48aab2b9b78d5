/** Comparing an observed aggregate with a threshold's target (a number, or derived from the baseline). */
import { describe, expect, it } from 'vitest'
import { evaluateThreshold, expectedValue } from '../../reporter/gate/evaluate-threshold.js'

describe('evaluateThreshold', () => {
  it.each([
    [0.9, '>=', 0.8, true],
    [0.8, '>=', 0.8, true],
    [0.7, '>=', 0.8, false],
    [0.9, '>', 0.8, true],
    [0.8, '>', 0.8, false],
    [0.7, '<=', 0.8, true],
    [0.8, '<', 0.8, false],
    [0.7, '<', 0.8, true],
    [3, '==', 3, true],
    [3, '==', 4, false],
  ] as const)('%d %s %d is %s', (observed, comparator, expected, holds) => {
    expect(evaluateThreshold(observed, comparator, expected)).toBe(holds)
  })

  it('floating-point noise counts as equal: 0.1 + 0.2 == 0.3, and is neither > nor < it', () => {
    expect(evaluateThreshold(0.1 + 0.2, '==', 0.3)).toBe(true)
    expect(evaluateThreshold(0.1 + 0.2, '<=', 0.3)).toBe(true)
    expect(evaluateThreshold(0.1 + 0.2, '>', 0.3)).toBe(false)
    expect(evaluateThreshold(0.3, '>=', 0.1 + 0.2)).toBe(true)
  })

  it('NaN never passes', () => {
    expect(evaluateThreshold(Number.NaN, '<=', 1)).toBe(false)
  })
})

describe('expectedValue', () => {
  it('a number target is the number; the baseline is not needed', () => {
    expect(expectedValue({ kind: 'number', value: 0.8 }, undefined)).toBe(0.8)
  })

  it.each([
    [undefined, 0.9],
    [{ operator: '-', amount: 0.05 }, 0.85],
    [{ operator: '+', amount: 1 }, 1.9],
    [{ operator: '*', amount: 0.5 }, 0.45],
  ] as const)('baseline 0.9 adjusted by %j is %d', (adjustment, expected) => {
    const target =
      adjustment === undefined ? ({ kind: 'baseline' } as const) : ({ kind: 'baseline', adjustment } as const)
    expect(expectedValue(target, 0.9)).toBeCloseTo(expected, 12)
  })
})
