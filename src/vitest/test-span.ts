/**
 * Test-case spans: each attempt of a Vitest test case in a run is a span of kind `test` whose context
 * parents the tasks called in it. A test with `retry` or `repeats` runs several attempts: each gets its
 * own span with its attempt index (`vitest.test.retry`, `vitest.test.repeat`) and its own error; a failed
 * attempt that Vitest retries is marked `vitest.test.retried`, and an attempt that passed after failed
 * ones `vitest.test.flaky`. Tasks still running when their test ends (a timeout) are ended as cancelled.
 */
import type { RunnerTestCase as Test } from 'vitest'
import { EMPTY_FRAME, type Frame } from '../frame.js'
import { cleanLabel } from '../labels.js'
import type { AttributeValue } from '../metrics.js'
import type { Run } from '../run.js'
import { errorText } from '../shared/error-text.js'
import { startSpan } from '../span-lifecycle.js'
import type { TaskSpan } from '../task-span.js'
import { cancelOpenSpans, newTestScope, type TestScope } from '../test-scope.js'

/** Attribute names of test spans (documented in the README with the schema). */
export const TEST_ATTR = {
  id: 'vitest.test.id',
  name: 'vitest.test.name',
  retry: 'vitest.test.retry',
  repeat: 'vitest.test.repeat',
  retried: 'vitest.test.retried',
  flaky: 'vitest.test.flaky',
  skipped: 'vitest.test.skipped',
} as const

/** Which attempt of a test runs: its retry and repeat indexes (both 0 for a test's only attempt). */
export interface Attempt {
  readonly retry: number
  readonly repeat: number
}

/** A test attempt's open span, the frame its body runs in, and where its own errors start. */
export interface TestSpan {
  readonly span: TaskSpan<undefined>
  readonly scope: TestScope
  /** The frame to run the test body in: the test span is the parent, the scope tracks open tasks. */
  readonly frame: Frame
  readonly attempt: Attempt
  /** How many errors the test had collected before this attempt (Vitest keeps every attempt's errors). */
  readonly errorsBefore: number
}

/** Starts the span of a test case's attempt in a run. */
export function startTestSpan(run: Run, test: Test, attempt: Attempt = attemptOf(test)): TestSpan {
  const scope = newTestScope()
  const attributes: Record<string, AttributeValue> = {
    [TEST_ATTR.id]: test.id,
    [TEST_ATTR.name]: test.name,
    [TEST_ATTR.retry]: attempt.retry,
    [TEST_ATTR.repeat]: attempt.repeat,
  }
  const { span, frame } = startSpan<undefined>({
    name: test.fullName,
    label: cleanLabel(test.name) || 'test',
    kind: 'test',
    run,
    attributes,
    parent: EMPTY_FRAME,
  })
  return {
    span,
    scope,
    frame: { ...frame, test: scope },
    attempt,
    errorsBefore: test.result?.errors?.length ?? 0,
  }
}

/**
 * Ends a test attempt's span with the attempt's own result: tasks it left running are cancelled first,
 * and the run's pending records are written, so a worker that dies later keeps every finished test.
 */
export function endTestSpan(run: Run, test: Test, testSpan: TestSpan): void {
  cancelOpenSpans(testSpan.scope, `test "${test.fullName}"`)
  const result = test.result
  const span = testSpan.span
  if (result?.state === 'fail') {
    const own = (result.errors ?? []).slice(testSpan.errorsBefore)
    const first = own[0] ?? result.errors?.at(-1)
    const error = new Error(first?.message ?? 'test failed')
    error.name = first?.name ?? 'Error'
    error.stack = first === undefined ? error.stack : errorText(first)
    if (willRetry(test, testSpan.attempt)) span.setAttribute(TEST_ATTR.retried, true)
    span.fail(error)
  } else {
    if (result?.state === 'skip') span.setAttribute(TEST_ATTR.skipped, true)
    else if (testSpan.attempt.retry > 0) span.setAttribute(TEST_ATTR.flaky, true)
    span.succeed(undefined)
  }
  run.recorder?.flush()
}

/** The attempt a test is on, from its result (the runner knows it exactly; see `runner.ts`). */
function attemptOf(test: Test): Attempt {
  return { retry: test.result?.retryCount ?? 0, repeat: test.result?.repeatCount ?? 0 }
}

/** True when Vitest will run another attempt of a test whose current attempt failed (as its runner decides). */
function willRetry(test: Test, attempt: Attempt): boolean {
  const retry = test.retry
  const count = typeof retry === 'number' ? retry : (retry?.count ?? 0)
  if (attempt.retry >= count) return false
  const condition = typeof retry === 'object' ? retry.condition : undefined
  if (condition === undefined) return true
  const last = test.result?.errors?.at(-1)
  if (last === undefined) return false
  if (condition instanceof RegExp) return condition.test(last.message ?? '')
  try {
    return (condition as (error: unknown) => boolean)(last) === true
  } catch {
    return false
  }
}
