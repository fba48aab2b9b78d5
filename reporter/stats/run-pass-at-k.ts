/**
 * pass@k and pass^k of a run's key: each input's unbiased estimate from its 0/1 trials (n trials, c
 * passing), averaged over inputs, with a 95% interval over inputs (Wilson when every estimate is 0 or 1,
 * else Student t). The trials are counted per input in DuckDB; only the few distinct (n, c) pairs come back.
 */
import type { Database } from '../store/database.js'
import { hasInputKeyColumns } from './input-key-columns.js'
import { metricCallsSql, metricInputsSql } from './metric-inputs-sql.js'
import { passAllK, passAtK } from './pass-at-k.js'
import { tInterval } from './t-test.js'
import { wilsonInterval } from './wilson-interval.js'

/** The estimate over a run's inputs, or why there is none. */
export interface RunPassAtK {
  readonly nInputs: number
  readonly mean: number | undefined
  readonly ciLow: number | undefined
  readonly ciHigh: number | undefined
  readonly method: 't' | 'Wilson' | undefined
  /** Inputs with fewer than k trials (then there is no estimate). */
  readonly tooFewTrials: number
  /** Fewest trials of any input. */
  readonly minTrials: number
  /** Some trial's value is not 0 or 1 (then there is no estimate). */
  readonly notBinary: boolean
}

/** pass@k (`pass_at`) or pass^k (`pass_all`) of `key` in run `runId`. */
export async function loadRunPassAtK(
  database: Database,
  runId: string,
  key: string,
  name: 'pass_at' | 'pass_all',
  k: number,
): Promise<RunPassAtK> {
  const inputKeyColumns = await hasInputKeyColumns(database)
  const rows = await database.query<{ trials: bigint; passes: bigint; is_binary: boolean; n: bigint }>(
    `WITH one_run AS (SELECT ?::VARCHAR AS run_id), one_key AS (SELECT ?::VARCHAR AS name),
     calls AS (${metricCallsSql({ runs: 'one_run', keys: 'one_key', inputKeyColumns })}),
     inputs AS (${metricInputsSql('calls')})
     SELECT trials, passes, is_binary, count(*) AS n FROM inputs GROUP BY ALL`,
    [runId, key],
  )
  const groups = rows.map((row) => ({
    trials: Number(row.trials),
    passes: Number(row.passes),
    binary: row.is_binary,
    n: Number(row.n),
  }))
  const nInputs = groups.reduce((sum, group) => sum + group.n, 0)
  const minTrials = groups.reduce((min, group) => Math.min(min, group.trials), Number.POSITIVE_INFINITY)
  const tooFewTrials = groups.filter((group) => group.trials < k).reduce((sum, group) => sum + group.n, 0)
  const notBinary = groups.some((group) => !group.binary)
  const none = { mean: undefined, ciLow: undefined, ciHigh: undefined, method: undefined }
  const base = { nInputs, tooFewTrials, minTrials: Number.isFinite(minTrials) ? minTrials : 0, notBinary }
  if (nInputs === 0 || tooFewTrials > 0 || notBinary) return { ...base, ...none }
  const estimate = name === 'pass_at' ? passAtK : passAllK
  const values = groups.map((group) => ({
    value: estimate(group.trials, group.passes, k) as number,
    n: group.n,
  }))
  const mean = values.reduce((sum, entry) => sum + entry.value * entry.n, 0) / nInputs
  if (values.every((entry) => entry.value === 0 || entry.value === 1)) {
    const successes = values.reduce((sum, entry) => sum + entry.value * entry.n, 0)
    const interval = wilsonInterval(successes, nInputs)
    return { ...base, mean, ciLow: interval.low, ciHigh: interval.high, method: 'Wilson' }
  }
  if (nInputs < 2) return { ...base, ...none, mean }
  const variance = values.reduce((sum, entry) => sum + entry.n * (entry.value - mean) ** 2, 0) / (nInputs - 1)
  const interval = tInterval({ estimate: mean, se: Math.sqrt(variance / nInputs), df: nInputs - 1 })
  return { ...base, mean, ciLow: interval.low, ciHigh: interval.high, method: 't' }
}
