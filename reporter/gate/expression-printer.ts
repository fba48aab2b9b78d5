/** Prints a threshold expression in its canonical form; parsing the printed text gives the same tree. */
import type { Aggregate, ThresholdExpression, ThresholdTarget } from './threshold-expression.js'

/**
 * The canonical text of an expression: `avg >= 0.8`, `p95 <= baseline * 1.1`, `no regression beyond 0.05`.
 */
export function printThreshold(expression: ThresholdExpression): string {
  if (expression.kind === 'no regression') {
    return expression.margin === undefined
      ? 'no regression'
      : `no regression beyond ${printNumber(expression.margin)}`
  }
  return `${printAggregate(expression.aggregate)} ${expression.comparator} ${printTarget(expression.target)}`
}

/** The canonical text of an aggregate: `avg`, `ci_low`, `pass_at(5)`. */
export function printAggregate(aggregate: Aggregate): string {
  return typeof aggregate === 'string' ? aggregate : `${aggregate.name}(${aggregate.k})`
}

/** The canonical text of a target: `0.8`, `baseline`, `baseline - 0.05`. */
export function printTarget(target: ThresholdTarget): string {
  if (target.kind === 'number') return printNumber(target.value)
  if (target.adjustment === undefined) return 'baseline'
  return `baseline ${target.adjustment.operator} ${printNumber(target.adjustment.amount)}`
}

/** A number as JavaScript prints it (shortest text that reads back to the same double). */
function printNumber(value: number): string {
  return String(value)
}
