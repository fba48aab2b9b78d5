/**
 * `no regression` and `no regression beyond <margin>` on one run: the run is paired input by input with
 * its baseline run (the same baseline rules as `baseline` targets) and fails only when a one-sided test at
 * 5% says it is worse (by more than the margin). Too few paired inputs, like a missing baseline, passes
 * unless `strict`; a pass whose change was in the worse direction says it was within noise, and how many
 * inputs (or trials) would tell.
 */
import type { MetricDirection } from '../stats/comparison-verdict.js'
import { loadKeySummaries } from '../stats/key-summaries.js'
import { metricDirection } from '../stats/metric-direction.js'
import { REGRESSION_INTERVAL_LEVEL, regressionTest } from '../stats/regression-test.js'
import { shortId } from './baseline.js'
import { formatGateNumber } from './gate-numbers.js'
import { type GateResult, type GateRunContext, runResultBase } from './gate-result.js'
import { formatEstimate, formatNeeded, formatPValue, type GateStatistics } from './gate-statistics.js'
import type { NoRegressionExpression } from './threshold-expression.js'

/** Evaluates a `no regression` gate on the context's run. */
export async function evaluateNoRegression(
  context: GateRunContext,
  expression: NoRegressionExpression,
): Promise<GateResult> {
  const { database, finder, strict, run, gate } = context
  const base = runResultBase(context)
  const lookup = await finder.find(run, gate.key)
  if (!lookup.found) {
    return {
      ...base,
      observed: undefined,
      expected: undefined,
      baselineSessionId: undefined,
      verdict: 'no baseline',
      passed: !strict,
      message: `${lookup.reason}; ${strict ? 'fails (strict)' : 'passes until a baseline exists'}`,
      statistics: undefined,
    }
  }
  const [summary] = await loadKeySummaries(
    database,
    [{ baselineRunId: lookup.runId, candidateRunId: run.runId }],
    { keys: [gate.key] },
  )
  const direction = metricDirection(gate.key, context.thresholds)
  const margin = expression.margin ?? 0
  const from = `baseline session ${shortId(lookup.sessionId)}`
  if (summary === undefined || summary.baseline === undefined || summary.baseline.n === 0) {
    return {
      ...base,
      observed: undefined,
      expected: undefined,
      baselineSessionId: lookup.sessionId,
      verdict: 'no baseline',
      passed: !strict,
      message:
        `the baseline run (${from}) recorded no usable ${gate.key}; ` +
        (strict ? 'fails (strict)' : 'passes until a baseline exists'),
      statistics: undefined,
    }
  }
  const test = regressionTest(summary, direction, margin)
  const bound = margin === 0 ? 0 : direction === 'higher-is-better' ? -margin : margin
  if (!test.tested) {
    return {
      ...base,
      observed: undefined,
      expected: bound,
      baselineSessionId: lookup.sessionId,
      verdict: 'insufficient data',
      passed: !strict,
      message:
        `${test.notes.join('; ')} (${from}); ` +
        (strict ? 'fails (strict)' : 'passes until there is enough data to test'),
      statistics: undefined,
    }
  }
  const worse = direction === 'higher-is-better' ? 'drop' : 'rise'
  const orientedDiff = (direction === 'higher-is-better' ? 1 : -1) * (test.diff as number)
  // A pass is within noise when the test could not have told: a drop it did not call significant, or a
  // margin smaller than what the data can detect.
  const withinNoise = !test.regressed && (margin > 0 ? (test.mde as number) > margin : orientedDiff < 0)
  const statistics: GateStatistics = {
    estimate: test.diff,
    ciLow: test.ciLow,
    ciHigh: test.ciHigh,
    ciLevel: REGRESSION_INTERVAL_LEVEL,
    pValue: test.pValue,
    mde: test.mde,
    nInputs: test.n,
    nNeeded: test.nNeeded,
    trialsNeeded: test.trialsNeeded,
    method: test.method,
    direction,
    withinNoise,
  }
  const size = margin > 0 ? margin : Math.abs(orientedDiff)
  const needed = withinNoise ? formatNeeded(statistics, `a ${worse} of ${formatGateNumber(size)}`) : undefined
  const figures =
    `Δ ${formatEstimate(statistics)} (${Math.round(REGRESSION_INTERVAL_LEVEL * 100)}% interval), ` +
    `one-sided p = ${formatPValue(test.pValue)}, MDE ${formatGateNumber(test.mde)}, ` +
    `${test.method} over ${test.n} inputs (${from})`
  const beyond = margin > 0 ? ` by more than ${formatGateNumber(margin)}` : ''
  const message = test.regressed
    ? `significantly worse${beyond}: ${figures}`
    : `not significantly worse${beyond}: ${figures}` +
      (withinNoise ? `; within noise${needed === undefined ? '' : `: ${needed}`}` : '')
  return {
    ...base,
    observed: test.diff,
    expected: bound,
    baselineSessionId: lookup.sessionId,
    verdict: test.regressed ? 'fail' : 'pass',
    passed: !test.regressed,
    message: [message, ...test.notes].join('; '),
    statistics,
  }
}

/** What a `no regression` row expects, for the table: `no drop`, `no rise > 0.05`. */
export function expectationText(direction: MetricDirection | undefined, bound: number | undefined): string {
  const worse = direction === 'lower-is-better' ? 'rise' : 'drop'
  const margin = Math.abs(bound ?? 0)
  return margin > 0 ? `no ${worse} > ${formatGateNumber(margin)}` : `no ${worse}`
}
