/**
 * Where statistics plug into the UI: the 95% interval of a key's mean in each session (drawn as a band on
 * the trend chart) and the paired comparison of two sessions per run and key (interval, p-value and
 * verdict columns on the Compare page, and the verdict of each key). The UI computes means, counts and
 * differences itself; everything statistical comes through {@link UiStatistics}. strikes' statistics module
 * provides it (`strikes-statistics.ts`); with {@link NO_STATISTICS} the pages show means and differences
 * only. An implementation computes in DuckDB with strikes' own SQL over base tables (the
 * database is open read-only, external access off).
 */
import type { ComparedKeyFigures } from '../stats/compared-key-json.js'
import type { Database } from '../store/database.js'

/** The 95% interval of a mean. */
export interface MeanInterval {
  readonly low: number
  readonly high: number
  /** How it was computed, shown beside it (`t`, `Wilson`, …). */
  readonly method: string
  /** Inputs the mean is over (trials averaged per input first). */
  readonly inputs: number
}

/**
 * The paired comparison of one run and key of two sessions: exactly the fields of an entry of `keys` in
 * `strikes compare --json`, so the statistics module can hand its entries over as they are.
 */
export interface PairedKeyComparison extends ComparedKeyFigures {
  /** How the figures were computed when not paired (`Welch, unpaired: no input keys in the baseline`). */
  readonly note?: string
}

/** The statistics the UI shows, given by strikes' statistics module. */
export interface UiStatistics {
  /**
   * The 95% interval of the mean of each of `keys` in each of `sessionIds` (over the session's runs of the
   * key), keyed by {@link intervalKey}; absent entries are drawn without a band.
   */
  sessionIntervals(
    database: Database,
    sessionIds: readonly string[],
    keys: readonly string[],
  ): Promise<ReadonlyMap<string, MeanInterval>>
  /** The paired comparison of every run (matched by name) and key of two sessions; empty when not computed. */
  compareSessions(
    database: Database,
    baselineSessionId: string,
    candidateSessionId: string,
  ): Promise<readonly PairedKeyComparison[]>
}

/** The key of a session's interval in {@link UiStatistics.sessionIntervals}'s map. */
export function intervalKey(sessionId: string, key: string): string {
  return `${sessionId}\u0000${key}`
}

/** The key of a run and key in a comparison. */
export function comparisonKey(run: string, key: string): string {
  return `${run}\u0000${key}`
}

/** No statistics: the pages show means, counts and differences only. */
export const NO_STATISTICS: UiStatistics = {
  async sessionIntervals() {
    return new Map()
  },
  async compareSessions() {
    return []
  },
}
