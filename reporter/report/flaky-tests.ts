/**
 * The flaky tests of each run: tests that passed only after failed attempts (`retry`), each with the
 * attempt it passed on and the first line of every failed attempt's error. Capped per run, like the
 * failures (a failed attempt that was retried is not a failure of the run).
 */
import { countOf } from '../display-format.js'
import type { Database } from '../store/database.js'
import { flakyAttempt, retriedAttempt, testOfAttempt } from '../store/test-attempts.js'
import type { FlakyTestView } from './report-model.js'
import { REPORT_LIMITS } from './report-options.js'
import { summaryLine } from './text-view.js'

interface AttemptRow {
  run_id: string
  test_id: string
  name: string
  retry: number | null
  status: string
  error: string | null
}

/** Loads the flaky tests of the session's runs in `runIds`, keyed by run id. */
export async function loadFlakyTests(
  database: Database,
  sessionId: string,
  runIds: ReadonlySet<string>,
): Promise<Map<string, FlakyTestView[]>> {
  const rows = await database.query<AttemptRow>(
    `WITH attempts AS (
       SELECT s.run_id, ${testOfAttempt('s')} AS test_id, s.name, s.status, s.error, s.started_at,
         json_extract(s.attributes, '$."vitest.test.retry"')::INTEGER AS retry,
         ${flakyAttempt('s')} AS flaky, ${retriedAttempt('s')} AS retried
       FROM spans s
       WHERE s.kind = 'test' AND s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
     ),
     flaky AS (
       SELECT run_id, test_id FROM attempts GROUP BY run_id, test_id
       HAVING bool_or(flaky) AND NOT bool_or(status = 'error' AND NOT retried)
       QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY test_id) <= ${REPORT_LIMITS.maxFailures}
     )
     SELECT a.run_id, a.test_id, a.name, a.retry, a.status,
       left(a.error, ${REPORT_LIMITS.errorChars}) AS error
     FROM attempts a JOIN flaky f USING (run_id, test_id)
     ORDER BY a.run_id, a.test_id, a.started_at`,
    [sessionId],
  )
  const byRun = new Map<string, Map<string, AttemptRow[]>>()
  for (const row of rows) {
    if (!runIds.has(row.run_id)) continue
    const tests = byRun.get(row.run_id) ?? new Map<string, AttemptRow[]>()
    tests.set(row.test_id, [...(tests.get(row.test_id) ?? []), row])
    byRun.set(row.run_id, tests)
  }
  const result = new Map<string, FlakyTestView[]>()
  for (const [runId, tests] of byRun) {
    result.set(
      runId,
      [...tests.values()].map((attempts) => {
        const passed = attempts.find((attempt) => attempt.status === 'ok')
        return {
          test: attempts[0]?.name ?? '—',
          passedOn:
            `passed on attempt ${(passed?.retry ?? attempts.length - 1) + 1} ` +
            `of ${countOf(attempts.length, 'attempt')}`,
          failedAttempts: attempts
            .filter((attempt) => attempt.status === 'error')
            .map(
              (attempt) => `attempt ${(attempt.retry ?? 0) + 1}: ${summaryLine(attempt.error ?? 'failed')}`,
            ),
        }
      }),
    )
  }
  return result
}
