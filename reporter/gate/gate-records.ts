/**
 * Gate results in the `gates` table: one row per gate and run, replaced when a session is evaluated again.
 */
import type { DuckDBValue } from '@duckdb/node-api'
import type { Database } from '../store/database.js'
import type { GateResult } from './gate-result.js'

/** The columns written, in order (the statistical figures are NULL for plain gates). */
const COLUMNS = [
  'session_id',
  'run_id',
  'key',
  'expression',
  'observed',
  'expected',
  'baseline_session_id',
  'verdict',
  'passed',
  'message',
  'seq',
  'estimate',
  'ci_low',
  'ci_high',
  'ci_level',
  'p_value',
  'mde',
  'n_inputs',
  'n_needed',
  'trials_needed',
  'method',
] as const

/** Replaces the session's rows in `gates` with `results` (one statement, in a transaction). */
export async function recordGates(
  database: Database,
  sessionId: string,
  results: readonly GateResult[],
): Promise<void> {
  await database.transaction(async () => {
    await database.run('DELETE FROM gates WHERE session_id = ?', [sessionId])
    if (results.length === 0) return
    const params: DuckDBValue[] = []
    results.forEach((result, index) => {
      const statistics = result.statistics
      params.push(
        sessionId,
        result.runId ?? null,
        result.key,
        result.expression,
        result.observed ?? null,
        result.expected ?? null,
        result.baselineSessionId ?? null,
        result.verdict,
        result.passed,
        result.message,
        index,
        finite(statistics?.estimate),
        finite(statistics?.ciLow),
        finite(statistics?.ciHigh),
        statistics?.ciLevel ?? null,
        finite(statistics?.pValue),
        finite(statistics?.mde),
        statistics?.nInputs ?? null,
        statistics?.nNeeded ?? null,
        statistics?.trialsNeeded ?? null,
        statistics?.method ?? null,
      )
    })
    const row = `(${COLUMNS.map(() => '?').join(', ')})`
    await database.run(
      `INSERT INTO gates (${COLUMNS.join(', ')}) VALUES ${results.map(() => row).join(', ')}`,
      params,
    )
  })
}

/** A number DuckDB stores as it is (±Infinity included); NaN and absent as NULL. */
function finite(value: number | undefined): number | null {
  return value === undefined || Number.isNaN(value) ? null : value
}
