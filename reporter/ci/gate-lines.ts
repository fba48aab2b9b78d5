/**
 * One gate result as the CI surfaces show it: which run (and test file) it judged, the gate, what was
 * observed against what was expected, and the outcome a CI system understands (passed, failed, skipped).
 */
import type { GateResult } from '../gate/evaluate-gates.js'
import { formatComparedNumbers } from '../gate/gate-numbers.js'

/** How a CI system sees a gate result. */
export type CiOutcome = 'passed' | 'failed' | 'skipped'

/** A gate result ready for a CI surface. */
export interface CiGate {
  readonly result: GateResult
  readonly outcome: CiOutcome
  /** `avg >= 0.8` */
  readonly gate: string
  /** `observed 0.62, expected >= 0.8` (or the verdict when nothing was observed). */
  readonly figures: string
}

/** The CI view of every gate result. */
export function ciGates(results: readonly GateResult[]): CiGate[] {
  return results.map((result) => ({
    result,
    outcome: !result.passed ? 'failed' : result.verdict === 'not run' ? 'skipped' : 'passed',
    gate: result.expression,
    figures: figures(result),
  }))
}

function figures(result: GateResult): string {
  if (result.observed === undefined) return result.verdict
  const [observed, expected] = formatComparedNumbers(result.observed, result.expected)
  const comparator = result.expression.split(' ')[1] ?? ''
  return result.expected === undefined
    ? `observed ${observed}`
    : `observed ${observed}, expected ${comparator} ${expected}`
}
