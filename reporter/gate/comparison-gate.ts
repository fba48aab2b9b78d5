/**
 * A comparison gate (`<aggregate> <op> <target>`) on one run: the aggregate of the run's series — a plain
 * aggregate of the raw values, or a statistic (`ci_low`, `ci_high`, `pass_at(k)`, `pass_all(k)`) with its
 * figures — against a number or the same aggregate in the baseline run.
 */
import { shortId } from './baseline.js'
import { evaluateThreshold, expectedValue } from './evaluate-threshold.js'
import { printAggregate } from './expression-printer.js'
import { formatComparedNumbers, formatGateNumber } from './gate-numbers.js'
import { type GateResult, type GateRunContext, runResultBase } from './gate-result.js'
import { formatEstimate, type GateStatistics } from './gate-statistics.js'
import { loadSeriesAggregates } from './series-aggregates.js'
import { inputsToClear, observeStatistic } from './statistic-aggregates.js'
import { type Aggregate, type ComparisonExpression, isSeriesAggregate } from './threshold-expression.js'

/** An aggregate's value in one run, with its figures for statistics. */
interface Observation {
  readonly value: number | undefined
  readonly problem: string | undefined
  readonly statistics: GateStatistics | undefined
  readonly sd: number | undefined
}

/** Evaluates a comparison gate on the context's run. */
export async function evaluateComparison(
  context: GateRunContext,
  expression: ComparisonExpression,
): Promise<GateResult> {
  const { aggregate, comparator, target } = expression
  const base = runResultBase(context)
  const written = printAggregate(aggregate)
  const observation = await observe(context, context.run.runId, aggregate)
  const value = observation.value
  if (value === undefined) {
    return {
      ...base,
      observed: undefined,
      expected: target.kind === 'number' ? target.value : undefined,
      baselineSessionId: undefined,
      verdict: 'fail',
      passed: false,
      message: `${written} cannot be computed: ${observation.problem ?? 'no data'}`,
      statistics: undefined,
    }
  }
  const note = [statisticsNote(observation), observation.problem]
    .filter((part) => part !== undefined)
    .join('; ')
  if (target.kind === 'number') {
    const holds = evaluateThreshold(value, comparator, target.value)
    const clear = holds ? undefined : clearingNote(aggregate, observation, target.value)
    return {
      ...base,
      observed: value,
      expected: target.value,
      baselineSessionId: undefined,
      verdict: holds ? 'pass' : 'fail',
      passed: holds,
      message: [comparison(written, value, holds, comparator, target.value), note, clear]
        .filter((part) => part !== undefined && part !== '')
        .join('; '),
      statistics: withNeeded(
        observation.statistics,
        clear === undefined ? undefined : observation,
        target.value,
      ),
    }
  }
  const lookup = await context.finder.find(context.run, context.gate.key)
  const baseline = lookup.found ? await observe(context, lookup.runId, aggregate) : undefined
  if (!lookup.found || baseline?.value === undefined) {
    const reason = lookup.found
      ? `the baseline run (session ${shortId(lookup.sessionId)}) has no ${written} of ${context.gate.key}` +
        (baseline?.problem === undefined ? '' : ` (${baseline.problem})`)
      : lookup.reason
    return {
      ...base,
      observed: value,
      expected: undefined,
      baselineSessionId: lookup.found ? lookup.sessionId : undefined,
      verdict: 'no baseline',
      passed: !context.strict,
      message: `${reason}; ${context.strict ? 'fails (strict)' : 'passes until a baseline exists'}`,
      statistics: observation.statistics,
    }
  }
  const expected = expectedValue(target, baseline.value)
  const holds = evaluateThreshold(value, comparator, expected)
  return {
    ...base,
    observed: value,
    expected,
    baselineSessionId: lookup.sessionId,
    verdict: holds ? 'pass' : 'fail',
    passed: holds,
    message:
      `${comparison(written, value, holds, comparator, expected)} ` +
      `(baseline ${formatComparedNumbers(baseline.value, baseline.value)[0]} ` +
      `from session ${shortId(lookup.sessionId)})` +
      (note === '' ? '' : `; ${note}`),
    statistics: observation.statistics,
  }
}

async function observe(context: GateRunContext, runId: string, aggregate: Aggregate): Promise<Observation> {
  if (isSeriesAggregate(aggregate)) {
    const series =
      runId === context.run.runId
        ? context.series
        : (await loadSeriesAggregates(context.database, [runId], [context.gate.key]))[0]?.aggregates
    const value = series?.[aggregate]
    return {
      value,
      problem: value === undefined ? `no point of ${context.gate.key}` : undefined,
      statistics: undefined,
      sd: undefined,
    }
  }
  return observeStatistic(context.database, runId, context.gate.key, aggregate)
}

function comparison(
  aggregate: string,
  observed: number,
  holds: boolean,
  comparator: string,
  expected: number,
): string {
  const [left, right] = formatComparedNumbers(observed, expected)
  return `${aggregate} ${left} ${holds ? 'is' : 'is not'} ${comparator} ${right}`
}

/** `mean 0.81, 95% interval [0.77, 0.85] (t over 40 inputs)`. */
function statisticsNote(observation: Observation): string | undefined {
  const statistics = observation.statistics
  if (statistics === undefined) return undefined
  return (
    `mean ${formatEstimate(statistics)} ` +
    `(95% interval, ${statistics.method} over ${statistics.nInputs} inputs)`
  )
}

/**
 * For a failed `ci_low >= x` / `ci_high <= x` whose mean is on the right side: the inputs that would clear x.
 */
function clearingNote(aggregate: Aggregate, observation: Observation, threshold: number): string | undefined {
  const mean = observation.statistics?.estimate
  if (typeof aggregate !== 'string' || observation.sd === undefined || mean === undefined) return undefined
  const rightSide =
    aggregate === 'ci_low' ? mean > threshold : aggregate === 'ci_high' ? mean < threshold : false
  if (!rightSide) return undefined
  const n = inputsToClear(mean, observation.sd, threshold)
  return n === undefined
    ? undefined
    : `~${n} inputs would clear ${formatGateNumber(threshold)} if the mean held`
}

function withNeeded(
  statistics: GateStatistics | undefined,
  observation: Observation | undefined,
  threshold: number,
): GateStatistics | undefined {
  if (statistics === undefined || observation?.sd === undefined || statistics.estimate === undefined)
    return statistics
  return { ...statistics, nNeeded: inputsToClear(statistics.estimate, observation.sd, threshold) }
}
