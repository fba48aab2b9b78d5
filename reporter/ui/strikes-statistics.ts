/**
 * strikes' statistics module behind the UI's {@link UiStatistics}: the 95% interval of a key's mean in a
 * session (the same `metric_stats` figures as the report and the gates: the mean over inputs, trials
 * averaged first, t or Wilson) and the paired comparison of two sessions exactly as `strikes compare --json`
 * gives it (runs matched by file, inputs by `input_key`, Holm's correction across keys). They read every
 * metric point of the runs: past {@link MAX_STATISTICS_POINTS} (which would not fit the UI's bounded DuckDB
 * memory, or take many seconds), or when they fail otherwise, they are left out and the pages show means
 * and differences only.
 */
import { compareRuns, sessionFilePairs } from '../stats/compare-runs.js'
import { comparedKeyFigures } from '../stats/compared-key-json.js'
import { metricDirection } from '../stats/metric-direction.js'
import { loadRunIntervals } from '../stats/run-intervals.js'
import type { Database } from '../store/database.js'
import { sqlStringList } from './data/rows-by-number.js'
import { intervalKey, type MeanInterval, type PairedKeyComparison, type UiStatistics } from './statistics.js'

/** Run-level metric points the statistics of one page read at most. */
export const MAX_STATISTICS_POINTS = 500_000

/** Whether the statistics of runs `runIds` are within {@link MAX_STATISTICS_POINTS}. */
export async function statisticsFit(database: Database, runIds: readonly string[]): Promise<boolean> {
  if (runIds.length === 0) return true
  const [row] = await database.query<{ n: bigint | number }>(
    `SELECT count(*) AS n FROM run_metrics WHERE run_id IN (${sqlStringList(runIds)})`,
  )
  return Number(row?.n ?? 0) <= MAX_STATISTICS_POINTS
}

/** The statistics the server uses. */
export const STRIKES_STATISTICS: UiStatistics = {
  sessionIntervals: (database, sessionIds, keys) =>
    sessionIntervals(database, sessionIds, keys).catch(() => new Map<string, MeanInterval>()),
  compareSessions: (database, baseline, candidate) =>
    compareSessions(database, baseline, candidate).catch(() => []),
}

/**
 * The interval of each key in each session, where the session has one run of the key (a key recorded by
 * several files of one session has no single interval; it is drawn without one).
 */
async function sessionIntervals(
  database: Database,
  sessionIds: readonly string[],
  keys: readonly string[],
): Promise<ReadonlyMap<string, MeanInterval>> {
  const result = new Map<string, MeanInterval>()
  if (sessionIds.length === 0 || keys.length === 0) return result
  const runs = await database.query<{ run_id: string; session_id: string }>(
    `SELECT run_id, session_id FROM runs WHERE session_id IN (${sqlStringList(sessionIds)})`,
  )
  const sessionOf = new Map(runs.map((run) => [run.run_id, run.session_id]))
  if (!(await statisticsFit(database, [...sessionOf.keys()]))) return result
  const intervals = await loadRunIntervals(
    database,
    runs.map((run) => run.run_id),
    keys,
  )
  const runsOfKey = new Map<string, number>()
  for (const entry of intervals.values()) {
    const key = intervalKey(sessionOf.get(entry.runId) ?? '', entry.key)
    runsOfKey.set(key, (runsOfKey.get(key) ?? 0) + 1)
  }
  for (const entry of intervals.values()) {
    const key = intervalKey(sessionOf.get(entry.runId) ?? '', entry.key)
    if (runsOfKey.get(key) !== 1 || entry.ciLow === undefined || entry.ciHigh === undefined) continue
    result.set(key, {
      low: entry.ciLow,
      high: entry.ciHigh,
      method: entry.interval === 'wilson' ? 'Wilson' : 't',
      inputs: entry.nInputs,
    })
  }
  return result
}

/** Every run and key of two sessions compared, as `strikes compare --json` lists them. */
async function compareSessions(
  database: Database,
  baselineSessionId: string,
  candidateSessionId: string,
): Promise<readonly PairedKeyComparison[]> {
  const pairs = await sessionFilePairs(database, baselineSessionId, candidateSessionId)
  const runIds = pairs.flatMap((pair) => [pair.baselineRunId, pair.candidateRunId])
  if (
    !(await statisticsFit(
      database,
      runIds.flatMap((id) => (id === undefined ? [] : [id])),
    ))
  )
    return []
  const keys = await compareRuns(database, pairs, { direction: metricDirection, topInputs: 0 })
  return keys.map((key) => ({
    ...comparedKeyFigures(key),
    ...(key.notes.length === 0 ? {} : { note: key.notes.join('; ') }),
  }))
}
