/**
 * Test-case spans: each Vitest test case of a run is a span of kind `test` whose context parents the
 * tasks called in it. Tasks still running when their test ends (a timeout) are ended as cancelled.
 */
import { type Context, ROOT_CONTEXT } from '@opentelemetry/api'
import type { RunnerTestCase as Test } from 'vitest'
import { cleanLabel } from '../labels.js'
import type { Run } from '../run.js'
import { runtime } from '../runtime.js'
import { cancelOpenSpans, startSpan } from '../span-lifecycle.js'
import type { TaskSpan, TestScope } from '../task-span.js'

/** A test case's open span and the context its body runs in. */
export interface TestSpan {
  readonly span: TaskSpan<undefined>
  readonly scope: TestScope
  /** The context to run the test body in: the test span is the parent, the scope tracks open tasks. */
  readonly context: Context
}

/** Starts the span of a test case in a run. */
export function startTestSpan(run: Run, test: Test): TestSpan {
  const scope: TestScope = { open: new Set(), closed: false }
  const { span, context } = startSpan<undefined>({
    name: test.fullName,
    label: cleanLabel(test.name) || 'test',
    kind: 'test',
    run,
    attributes: { 'vitest.test.id': test.id, 'vitest.test.name': test.name },
    parentContext: ROOT_CONTEXT,
  })
  return { span, scope, context: context.setValue(runtime.keys.test, scope) }
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
