/**
 * The aggregates of a gate that are statistics rather than plain aggregates of raw values: `ci_low` and
 * `ci_high` (the 95% interval of the mean over inputs) and `pass_at(k)` / `pass_all(k)` (over each input's
 * 0/1 trials). Each comes with its figures, or with the reason it cannot be computed.
 */
import { loadRunIntervals } from '../stats/run-intervals.js'
import { loadRunPassAtK } from '../stats/run-pass-at-k.js'
import { Z_975 } from '../stats/wilson-interval.js'
import type { Database } from '../store/database.js'
import { printAggregate } from './expression-printer.js'
import type { GateStatistics } from './gate-statistics.js'
import type { IntervalAggregate, TrialAggregate } from './threshold-expression.js'

/** A statistic of one run's key. */
export interface StatisticObservation {
  /** The aggregate's value; undefined when it cannot be computed (see `problem`). */
  readonly value: number | undefined
  readonly problem: string | undefined
  readonly statistics: GateStatistics | undefined
  /** The run's spread of per-input values (for the inputs a `ci_*` gate would need). */
  readonly sd: number | undefined
}

/** Observes `aggregate` of `key` in run `runId`. */
export async function observeStatistic(
  database: Database,
  runId: string,
  key: string,
  aggregate: IntervalAggregate | TrialAggregate,
): Promise<StatisticObservation> {
  if (typeof aggregate === 'string') {
    const stats = (await loadRunIntervals(database, [runId], [key])).values().next().value
    if (stats === undefined || stats.nInputs === 0 || stats.mean === undefined) {
      return missing(`no usable point of ${key} in this run`)
    }
    const single = stats.interval === undefined
    const value = single
      ? aggregate === 'ci_low'
        ? Number.NEGATIVE_INFINITY
        : Number.POSITIVE_INFINITY
      : aggregate === 'ci_low'
        ? (stats.ciLow as number)
        : (stats.ciHigh as number)
    return {
      value,
      problem: single ? `${stats.nInputs} input: the interval of the mean is unbounded` : undefined,
      sd: stats.interval === 't' ? stats.sd : undefined,
      statistics: {
        estimate: stats.mean,
        ciLow: single ? Number.NEGATIVE_INFINITY : stats.ciLow,
        ciHigh: single ? Number.POSITIVE_INFINITY : stats.ciHigh,
        ciLevel: 0.95,
        pValue: undefined,
        mde: undefined,
        nInputs: stats.nInputs,
        nNeeded: undefined,
        trialsNeeded: undefined,
        method: stats.interval === 'wilson' ? 'Wilson' : 't',
        direction: undefined,
        withinNoise: false,
      },
    }
  }
  const result = await loadRunPassAtK(database, runId, key, aggregate.name, aggregate.k)
  const written = printAggregate(aggregate)
  if (result.nInputs === 0) return missing(`no usable point of ${key} in this run`)
  if (result.notBinary) return missing(`${written} needs 0/1 scores, and ${key} has other values`)
  if (result.tooFewTrials > 0) {
    return missing(
      `${written} needs at least ${aggregate.k} trials per input; ` +
        `${result.tooFewTrials} of ${result.nInputs} inputs have fewer (the fewest: ${result.minTrials}); ` +
        'run more trials per input',
    )
  }
  return {
    value: result.mean,
    problem: undefined,
    sd: undefined,
    statistics: {
      estimate: result.mean,
      ciLow: result.ciLow,
      ciHigh: result.ciHigh,
      ciLevel: 0.95,
      pValue: undefined,
      mde: undefined,
      nInputs: result.nInputs,
      nNeeded: undefined,
      trialsNeeded: undefined,
      method: result.method ?? 't',
      direction: undefined,
      withinNoise: false,
    },
  }
}

/** Inputs a t interval of spread `sd` would need for its end to clear `threshold` if the mean held. */
export function inputsToClear(mean: number, sd: number, threshold: number): number | undefined {
  const gap = Math.abs(mean - threshold)
  if (!(gap > 0) || !(sd > 0)) return undefined
  return Math.max(2, Math.ceil(((Z_975 * sd) / gap) ** 2))
}

function missing(problem: string): StatisticObservation {
  return { value: undefined, problem, statistics: undefined, sd: undefined }
}
