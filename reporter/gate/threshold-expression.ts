/**
 * The syntax tree of a threshold expression: a comparison such as `avg >= 0.8`, `p95 <= baseline * 1.1`,
 * `ci_low >= 0.8` or `pass_at(5) >= 0.9` — an aggregate of a run-level series, a comparator, and a target
 * that is a number or derived from the baseline — or a significance test against the baseline,
 * `no regression` / `no regression beyond 0.05`.
 */

/** Aggregates over the raw values of a run's series, computed in SQL as they are. */
export const SERIES_AGGREGATES = [
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

/** Ends of the 95% interval of the mean over inputs (trials averaged per input first). */
export const INTERVAL_AGGREGATES = ['ci_low', 'ci_high'] as const

/** Every aggregate written as a bare word, in the order they are documented. */
export const AGGREGATES = [...SERIES_AGGREGATES, ...INTERVAL_AGGREGATES] as const

/** Aggregates over each input's trials that take a number of trials: `pass_at(5)`, `pass_all(3)`. */
export const TRIAL_AGGREGATES = ['pass_at', 'pass_all'] as const

/**
 * An aggregate over raw values: `avg` and `mean` are the same; `pass_rate` is the share of non-zero points.
 */
export type SeriesAggregate = (typeof SERIES_AGGREGATES)[number]

/** `ci_low` or `ci_high`. */
export type IntervalAggregate = (typeof INTERVAL_AGGREGATES)[number]

/** An aggregate written as a bare word. */
export type WordAggregate = (typeof AGGREGATES)[number]

/** The name of an aggregate over trials. */
export type TrialAggregateName = (typeof TRIAL_AGGREGATES)[number]

/**
 * The mean over inputs of the unbiased pass@k (`pass_at`) or pass^k (`pass_all`) of each input's 0/1 trials.
 */
export interface TrialAggregate {
  readonly name: TrialAggregateName
  /** Trials drawn, a whole number ≥ 1. */
  readonly k: number
}

/** Any aggregate. */
export type Aggregate = WordAggregate | TrialAggregate

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

/** The right-hand side of a comparison. */
export type ThresholdTarget = NumberTarget | BaselineTarget

/** `<aggregate> <comparator> <target>`. */
export interface ComparisonExpression {
  readonly kind: 'comparison'
  readonly aggregate: Aggregate
  readonly comparator: Comparator
  readonly target: ThresholdTarget
}

/**
 * `no regression [beyond <margin>]`: fails only when the candidate is significantly worse (by more than the
 * margin).
 */
export interface NoRegressionExpression {
  readonly kind: 'no regression'
  /** ≥ 0; absent for a bare `no regression`. */
  readonly margin?: number
}

/** A parsed threshold expression. */
export type ThresholdExpression = ComparisonExpression | NoRegressionExpression

/** True when the expression needs a baseline (a regression gate). */
export function isRegressionGate(expression: ThresholdExpression): boolean {
  return expression.kind === 'no regression' || expression.target.kind === 'baseline'
}

/** True when `word` names an aggregate written as a bare word. */
export function isAggregate(word: string): word is WordAggregate {
  return (AGGREGATES as readonly string[]).includes(word)
}

/** True when `word` names an aggregate over raw values. */
export function isSeriesAggregate(aggregate: Aggregate): aggregate is SeriesAggregate {
  return typeof aggregate === 'string' && (SERIES_AGGREGATES as readonly string[]).includes(aggregate)
}

/** True when `word` names an aggregate over trials (`pass_at`, `pass_all`). */
export function isTrialAggregateName(word: string): word is TrialAggregateName {
  return (TRIAL_AGGREGATES as readonly string[]).includes(word)
}

/** True when `text` is a comparator. */
export function isComparator(text: string): text is Comparator {
  return (COMPARATORS as readonly string[]).includes(text)
}

/** True when `text` is an operator that may adjust the baseline. */
export function isBaselineOperator(text: string): text is BaselineOperator {
  return (BASELINE_OPERATORS as readonly string[]).includes(text)
}
