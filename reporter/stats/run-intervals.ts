/**
 * The statistics of given runs (the `metric_stats` query restricted to them): per run and key, the mean
 * over inputs with its 95% interval and what it rests on. The gates' `ci_low`/`ci_high` and the report's
 * intervals read them.
 */
import type { Database } from '../store/database.js'
import { hasInputKeyColumns } from './input-key-columns.js'
import type { SideSummary } from './key-summaries.js'
import { metricStatsSql, type Reducer } from './metric-stats-sql.js'
import { tInterval } from './t-test.js'
import { wilsonInterval } from './wilson-interval.js'

/** One run's statistics of one key. */
export interface RunInterval {
  readonly runId: string
  readonly key: string
  readonly nInputs: number
  readonly nPoints: number
  readonly maxTrials: number
  readonly mean: number | undefined
  readonly sd: number | undefined
  readonly ciLow: number | undefined
  readonly ciHigh: number | undefined
  /** `t`, `wilson`, or undefined (fewer than 2 inputs that are not 0/1). */
  readonly interval: 't' | 'wilson' | undefined
  readonly nNonFinite: number
  readonly nCached: number
}

/** The lookup key of a run's key. */
export function intervalKey(runId: string, key: string): string {
  return `${runId}\u0000${key}`
}

/** Statistics of the runs `runIds` (only `keys` when given), keyed by {@link intervalKey}. */
export async function loadRunIntervals(
  database: Database,
  runIds: readonly string[],
  keys?: readonly string[],
  reducer: Reducer = 'mean',
): Promise<Map<string, RunInterval>> {
  const result = new Map<string, RunInterval>()
  if (runIds.length === 0 || keys?.length === 0) return result
  const inputKeyColumns = await hasInputKeyColumns(database)
  const restriction = {
    runs: 'stat_runs',
    inputKeyColumns,
    ...(keys === undefined ? {} : { keys: 'stat_names' }),
  }
  const rows = await database.query<Record<string, unknown>>(
    `WITH stat_runs AS (SELECT unnest(?::JSON::VARCHAR[]) AS run_id)
     ${keys === undefined ? '' : ', stat_names AS (SELECT unnest(?::JSON::VARCHAR[]) AS name)'}
     SELECT * FROM (${metricStatsSql(restriction, [reducer])})`,
    keys === undefined ? [JSON.stringify(runIds)] : [JSON.stringify(runIds), JSON.stringify(keys)],
  )
  for (const row of rows) {
    const entry: RunInterval = {
      runId: String(row.run_id),
      key: String(row.name),
      nInputs: Number(row.n_inputs ?? 0),
      nPoints: Number(row.n_points ?? 0),
      maxTrials: Number(row.max_trials ?? 0),
      mean: optional(row.mean),
      sd: optional(row.sd),
      ciLow: optional(row.ci_low),
      ciHigh: optional(row.ci_high),
      interval: row.interval === 't' || row.interval === 'wilson' ? row.interval : undefined,
      nNonFinite: Number(row.n_nonfinite ?? 0),
      nCached: Number(row.n_cached ?? 0),
    }
    result.set(intervalKey(entry.runId, entry.key), entry)
  }
  return result
}

function optional(value: unknown): number | undefined {
  return typeof value === 'number' && !Number.isNaN(value) ? value : undefined
}

/**
 * The statistics of one run's key from its side of a comparison summary (the same figures `metric_stats`
 * gives for the `mean` reducer), so a caller that has compared runs needs no second query.
 */
export function intervalOfSide(runId: string, key: string, side: SideSummary): RunInterval {
  const n = side.n
  const base = {
    runId,
    key,
    nInputs: n,
    nPoints: side.points,
    maxTrials: side.maxTrials,
    nNonFinite: side.nonFinite,
    nCached: side.cached,
  }
  if (n === 0) {
    return {
      ...base,
      mean: undefined,
      sd: undefined,
      ciLow: undefined,
      ciHigh: undefined,
      interval: undefined,
    }
  }
  const sd = n >= 2 ? Math.sqrt(Math.max(0, side.variance)) : undefined
  if (side.binaryMeans) {
    const wilson = wilsonInterval(side.mean * n, n)
    return { ...base, mean: side.mean, sd, ciLow: wilson.low, ciHigh: wilson.high, interval: 'wilson' }
  }
  if (sd === undefined)
    return { ...base, mean: side.mean, sd, ciLow: undefined, ciHigh: undefined, interval: undefined }
  const interval = tInterval({ estimate: side.mean, se: sd / Math.sqrt(n), df: n - 1 })
  return { ...base, mean: side.mean, sd, ciLow: interval.low, ciHigh: interval.high, interval: 't' }
}
