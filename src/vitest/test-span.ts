/**
 * Test-case spans: each Vitest test case of a run is a span of kind `test` whose context parents the
 * tasks called in it. Tasks still running when their test ends (a timeout) are ended as cancelled.
 */
import type { RunnerTestCase as Test } from 'vitest'
import { EMPTY_FRAME, type Frame } from '../frame.js'
import { cleanLabel } from '../labels.js'
import type { Run } from '../run.js'
import { startSpan } from '../span-lifecycle.js'
import type { TaskSpan } from '../task-span.js'
import { cancelOpenSpans, newTestScope, type TestScope } from '../test-scope.js'

/** A test case's open span and the frame its body runs in. */
export interface TestSpan {
  readonly span: TaskSpan<undefined>
  readonly scope: TestScope
  /** The frame to run the test body in: the test span is the parent, the scope tracks open tasks. */
  readonly frame: Frame
}

/** Starts the span of a test case in a run. */
export function startTestSpan(run: Run, test: Test): TestSpan {
  const scope = newTestScope()
  const { span, frame } = startSpan<undefined>({
    name: test.fullName,
    label: cleanLabel(test.name) || 'test',
    kind: 'test',
    run,
    attributes: { 'vitest.test.id': test.id, 'vitest.test.name': test.name },
    parent: EMPTY_FRAME,
  })
  return { span, scope, frame: { ...frame, test: scope } }
}

/**
 * Ends a test case's span with its result: tasks it left running are cancelled first, and the run's
 * pending records are written, so a worker that dies later keeps every finished test's records.
 */
export function endTestSpan(run: Run, test: Test, testSpan: TestSpan): void {
  cancelOpenSpans(testSpan.scope, `test "${test.fullName}"`)
  const result = test.result
  if (result?.state === 'fail') {
    const first = result.errors?.[0]
    const error = new Error(first?.message ?? 'test failed')
    error.name = first?.name ?? 'Error'
    if (first?.stack !== undefined) error.stack = first.stack
    testSpan.span.fail(error)
  } else {
    if (result?.state === 'skip') testSpan.span.setAttribute('vitest.test.skipped', true)
    testSpan.span.succeed(undefined)
  }
  run.recorder?.flush()
}
