/**
 * Task and test counts per run, in SQL, shared by the report's run list and the terminal summary: a test
 * retried or repeated counts once; a failed attempt that was retried is not a failed test, and a test
 * that passed after one is flaky (see `test-attempts.ts`).
 */
import { flakyAttempt, retriedAttempt, testOfAttempt } from './test-attempts.js'

/** A run's task and test counts, as {@link runCountsSql} counts them. */
export interface RunCounts {
  readonly tasks: number
  readonly failedTasks: number
  /** Test cases (a test retried or repeated counts once). */
  readonly tests: number
  /** Tests whose final attempt failed. */
  readonly failedTests: number
  /** Tests that passed after failed attempts (`retry`). */
  readonly flakyTests: number
}

/**
 * SQL: the common table expressions `task_counts` (run_id, tasks, failed_tasks) and `test_counts`
 * (run_id, tests, failed_tests, flaky_tests) over `source`, a table or earlier expression of spans rows;
 * put it after `WITH` and the expression that defines `source`.
 */
export function runCountsSql(source: string): string {
  return `task_counts AS (
       SELECT run_id, count(*) AS tasks, count(*) FILTER (WHERE status = 'error') AS failed_tasks
       FROM ${source} WHERE kind = 'task' GROUP BY run_id
     ),
     test_cases AS (
       SELECT s.run_id, ${testOfAttempt('s')} AS test_id,
         bool_or(s.status = 'error' AND NOT ${retriedAttempt('s')}) AS failed,
         bool_or(${flakyAttempt('s')}) AS flaky
       FROM ${source} s WHERE s.kind = 'test' GROUP BY ALL
     ),
     test_counts AS (
       SELECT run_id, count(*) AS tests, count(*) FILTER (WHERE failed) AS failed_tests,
         count(*) FILTER (WHERE flaky AND NOT failed) AS flaky_tests
       FROM test_cases GROUP BY run_id
     )`
}
