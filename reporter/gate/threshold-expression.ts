/**
 * The syntax tree of a threshold expression such as `avg >= 0.8` or `p95 <= baseline * 1.1`: an aggregate
 * of a run-level series, a comparison, and a target that is a number or derived from the baseline.
 */

/** Aggregates of a run-level series (over its raw values), in the order they are documented. */
export const AGGREGATES = [
  'avg',
  'mean',
  'min',
  'max',
  'sum',
  'count',
  'p50',
  'p90',
  'p95',
  'p99',
  'pass_rate',
] as const

/** An aggregate of a run-level series: `avg` and `mean` are the same; `pass_rate` is the share of non-zero points. */
export type Aggregate = (typeof AGGREGATES)[number]

/** Comparisons between the observed aggregate and the target. */
export const COMPARATORS = ['>=', '>', '<=', '<', '=='] as const

/** A comparison between the observed aggregate (left) and the target (right). */
export type Comparator = (typeof COMPARATORS)[number]

/** Arithmetic that may adjust the baseline: `baseline - 0.05`, `baseline + 1`, `baseline * 0.95`. */
export const BASELINE_OPERATORS = ['+', '-', '*'] as const

/** An operator adjusting the baseline. */
export type BaselineOperator = (typeof BASELINE_OPERATORS)[number]

/** A fixed number: `avg >= 0.8`. */
export interface NumberTarget {
  readonly kind: 'number'
  readonly value: number
}

/** The same aggregate in the baseline run, optionally adjusted: `avg >= baseline - 0.05`. */
export interface BaselineTarget {
  readonly kind: 'baseline'
  /** Absent for a bare `baseline`. */
  readonly adjustment?: { readonly operator: BaselineOperator; readonly amount: number }
}

/** The right-hand side of a threshold expression. */
export type ThresholdTarget = NumberTarget | BaselineTarget

/** A parsed threshold expression: `<aggregate> <comparator> <target>`. */
export interface ThresholdExpression {
  readonly aggregate: Aggregate
  readonly comparator: Comparator
  readonly target: ThresholdTarget
}

/** True when `word` names an aggregate. */
export function isAggregate(word: string): word is Aggregate {
  return (AGGREGATES as readonly string[]).includes(word)
}

/** True when `text` is a comparator. */
export function isComparator(text: string): text is Comparator {
  return (COMPARATORS as readonly string[]).includes(text)
}

/** True when `text` is an operator that may adjust the baseline. */
export function isBaselineOperator(text: string): text is BaselineOperator {
  return (BASELINE_OPERATORS as readonly string[]).includes(text)
}
