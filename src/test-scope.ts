/**
 * Test scopes: the spans still open under one Vitest test case (or a run, outside tests), so that they
 * are ended as cancelled when it ends and tasks started afterwards are cancelled at once.
 */
import { TaskCancelledError } from './errors.js'

/** A span that can be ended as failed (a `TaskSpan`). */
export interface OpenSpan {
  readonly name: string
  fail(error: Error): void
}

/** The set of spans still open under one test case (or run). */
export interface TestScope {
  readonly open: Set<OpenSpan>
  /** Set when the test (or the run) ended: tasks started afterwards are cancelled at once. */
  closed: boolean
}

/** A new, open scope. */
export function newTestScope(): TestScope {
  return { open: new Set(), closed: false }
}

/**
 * Closes a scope (a test case, or a run) and ends every span still open in it as cancelled: nothing is
 * left open when its test or file ends, and tasks started later are cancelled at once.
 */
export function cancelOpenSpans(scope: TestScope, owner: string): void {
  scope.closed = true
  for (const open of [...scope.open]) {
    open.fail(
      new TaskCancelledError(`task "${open.name}" was still running when ${owner} ended; it was cancelled`),
    )
  }
}
