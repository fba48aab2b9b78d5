/**
 * What evaluating one gate on one run gives (one row of the gate table and of `gates`), and what it is
 * evaluated with.
 */
import type { Database } from '../store/database.js'
import type { BaselineFinder, GatedRun } from './baseline.js'
import type { GateDefinition } from './gate-definition.js'
import type { GateStatistics } from './gate-statistics.js'
import type { GateVerdict } from './gate-verdict.js'
import type { SeriesAggregates } from './series-aggregates.js'

/** One evaluated gate. */
export interface GateResult {
  readonly key: string
  /** The expression in canonical form. */
  readonly expression: string
  /** The run evaluated; absent for `no data` (no run recorded the key). */
  readonly runId: string | undefined
  readonly runName: string | undefined
  /** The aggregate of this run's series (for `no regression`: the difference candidate − baseline). */
  readonly observed: number | undefined
  /**
   * The value compared against (derived from the baseline for regression gates; the bound on the difference
   * for `no regression`).
   */
  readonly expected: number | undefined
  readonly baselineSessionId: string | undefined
  readonly verdict: GateVerdict
  /**
   * Whether this result lets the session pass (`no baseline` and `insufficient data` pass unless `strict`).
   */
  readonly passed: boolean
  /** A sentence saying why. */
  readonly message: string
  /** The statistical figures of `no regression`, `ci_low`, `ci_high`, `pass_at(k)` and `pass_all(k)` rows. */
  readonly statistics: GateStatistics | undefined
}

/** What one gate is evaluated on one run with. */
export interface GateRunContext {
  readonly database: Database
  readonly finder: BaselineFinder
  readonly strict: boolean
  readonly run: GatedRun
  readonly gate: GateDefinition
  /** The expression in canonical form. */
  readonly expression: string
  /** Every expression of every key (which way a key improves is read from them). */
  readonly thresholds: Readonly<Record<string, readonly string[]>>
  /** The plain aggregates of this run's series of the key. */
  readonly series: SeriesAggregates
}

/** The part of a result every row of a run shares. */
export function runResultBase(
  context: GateRunContext,
): Pick<GateResult, 'key' | 'expression' | 'runId' | 'runName'> {
  return {
    key: context.gate.key,
    expression: context.expression,
    runId: context.run.runId,
    runName: context.run.name,
  }
}
