/** Gate results in the `gates` table: one row per gate and run, replaced when a session is evaluated again. */
import type { DuckDBValue } from '@duckdb/node-api'
import type { Database } from '../store/database.js'
import type { GateResult } from './evaluate-gates.js'

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
      )
    })
    const row = `(${Array.from({ length: 11 }, () => '?').join(', ')})`
    await database.run(
      `INSERT INTO gates (session_id, run_id, key, expression, observed, expected, baseline_session_id, verdict, passed, message, seq)
       VALUES ${results.map(() => row).join(', ')}`,
      params,
    )
  })
}
