/**
 * Frames: what the calling code runs in — the run of a `withRun` scope, the innermost strikes span, the
 * Vitest test case, and the trial of a repeated call — carried across `await` by AsyncLocalStorage, so
 * parallel `map` calls never mix up their parents.
 */
import type { Run } from './run.js'
import type { TaskSpan } from './task-span.js'
import type { TestScope } from './test-scope.js'

/** One frame; frames are immutable, a new one per span or scope. */
export interface Frame {
  /** The run of a `withRun` scope (otherwise code belongs to the current test file's run). */
  readonly run: Run | undefined
  /** The innermost strikes span (a task, a `taskSpan`, a test case). */
  readonly span: TaskSpan | undefined
  /** The test case (or run) whose end cancels what is still open. */
  readonly test: TestScope | undefined
  /** The trial of a repeated call (`many`, count forms). */
  readonly trial: number | undefined
  /** The scorer being run, when code runs on behalf of one (an `llmJudge`'s model call): its costs are scoring. */
  readonly scorer?: string | undefined
}

/** The frame outside any run, span or test. */
export const EMPTY_FRAME: Frame = Object.freeze({
  run: undefined,
  span: undefined,
  test: undefined,
  trial: undefined,
})
