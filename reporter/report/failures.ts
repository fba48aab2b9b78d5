/**
 * The failures of each run: failed tasks and spans with the test they ran in, their error, stack, inputs
 * and outputs; and failed tests whose error no failed task inside them already shows — not a failed
 * attempt that Vitest retried (those are listed with the flaky tests). Capped per run.
 */
import type { Database } from '../store/database.js'
import { retriedAttempt } from '../store/test-attempts.js'
import { cutSql } from './report-budget.js'
import type { FailureView } from './report-model.js'
import { REPORT_LIMITS } from './report-options.js'
import { loadTaskValues, NO_VALUES } from './stored-values.js'
import { summaryLine, textView } from './text-view.js'

/** The shown failures of one run, and how many there are in all. */
export interface RunFailures {
  readonly failures: readonly FailureView[]
  readonly total: number
}

interface FailureRow {
  run_id: string
  span_id: string
  kind: string
  name: string
  test_name: string | null
  error: string | null
  error_length: bigint | number | null
  stack: string | null
  stack_length: bigint | number | null
  total: bigint | number
}

/** Loads the failures of the session's runs in `runIds` (at most `maxFailures` per run), keyed by run id. */
export async function loadFailures(
  database: Database,
  sessionId: string,
  runIds: ReadonlySet<string>,
): Promise<Map<string, RunFailures>> {
  const rows = await database.query<FailureRow>(
    `WITH RECURSIVE
     failed AS (
       SELECT s.run_id, s.span_id, s.parent_id, s.kind, s.name, s.error, s.started_at,
         json_extract_string(s.attributes, '$."exception.stacktrace"') AS stack
       FROM spans s
       WHERE s.status = 'error' AND s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
         AND NOT (s.kind = 'test' AND ${retriedAttempt('s')})
     ),
     climb(run_id, span_id, ancestor_id, depth) AS (
       SELECT run_id, span_id, parent_id, 1 FROM failed WHERE parent_id IS NOT NULL AND kind <> 'test'
       UNION ALL
       SELECT c.run_id, c.span_id, a.parent_id, c.depth + 1
       FROM climb c JOIN spans a ON a.run_id = c.run_id AND a.span_id = c.ancestor_id
       WHERE a.kind <> 'test' AND a.parent_id IS NOT NULL AND c.depth < 64
     ),
     test_of AS (
       SELECT c.run_id, c.span_id,
         arg_min(t.span_id, c.depth) AS test_id, arg_min(t.name, c.depth) AS test_name
       FROM climb c JOIN spans t ON t.run_id = c.run_id AND t.span_id = c.ancestor_id AND t.kind = 'test'
       GROUP BY c.run_id, c.span_id
     ),
     located AS (
       SELECT f.*,
         CASE WHEN f.kind = 'test' THEN f.span_id ELSE t.test_id END AS test_id,
         CASE WHEN f.kind = 'test' THEN f.name ELSE t.test_name END AS test_name
       FROM failed f LEFT JOIN test_of t ON t.run_id = f.run_id AND t.span_id = f.span_id
     ),
     kept AS (
       SELECT l.* FROM located l
       WHERE l.kind <> 'test' OR NOT EXISTS (
         SELECT 1 FROM located d
         WHERE d.run_id = l.run_id AND d.kind <> 'test' AND d.test_id = l.span_id
           AND d.error IS NOT DISTINCT FROM l.error
       )
     )
     SELECT run_id, span_id, kind, coalesce(${cutSql('name')}, '—') AS name, ${cutSql('test_name')} AS test_name,
       left(error, ${REPORT_LIMITS.errorChars}) AS error, length(error) AS error_length,
       left(stack, ${REPORT_LIMITS.stackChars}) AS stack, length(stack) AS stack_length,
       count(*) OVER (PARTITION BY run_id) AS total
     FROM kept
     QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY started_at, span_id)
       <= ${REPORT_LIMITS.maxFailures}
     ORDER BY run_id, started_at, span_id`,
    [sessionId],
  )
  const byRun = new Map<string, FailureRow[]>()
  for (const row of rows) {
    const list = byRun.get(row.run_id) ?? []
    list.push(row)
    byRun.set(row.run_id, list)
  }
  const result = new Map<string, RunFailures>()
  const shownRuns = [...byRun].filter(([runId]) => runIds.has(runId))
  const valuesByRun = await loadTaskValues(
    database,
    new Map(shownRuns.map(([runId, list]) => [runId, list.map((row) => row.span_id)])),
    REPORT_LIMITS.failureValueChars,
  )
  for (const [runId, list] of shownRuns) {
    const values = valuesByRun.get(runId)
    result.set(runId, {
      total: Number(list[0]?.total ?? list.length),
      failures: list.map((row) => failureView(row, values?.get(row.span_id) ?? NO_VALUES)),
    })
  }
  return result
}

function failureView(row: FailureRow, values: FailureView['values']): FailureView {
  const error = row.error ?? 'failed without an error message'
  const stack =
    row.stack === null || row.stack.trim() === '' || row.stack.trim() === error.trim()
      ? undefined
      : textView({ text: row.stack, fullLength: Number(row.stack_length ?? row.stack.length) })
  return {
    task: row.kind === 'test' ? '—' : row.name,
    kind: row.kind,
    isTest: row.kind === 'test',
    test: row.test_name ?? '—',
    errorLine: summaryLine(error),
    error: textView({ text: error, fullLength: Number(row.error_length ?? error.length) }),
    stack,
    values,
    hasValues: values.inputs.length + values.outputs.length > 0,
  }
}
