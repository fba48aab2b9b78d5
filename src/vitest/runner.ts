/**
 * The Vitest test runner strikes installs (when the project has no custom runner): Vitest's own runner,
 * with each test body run inside its test span's frame, so the tasks it calls are the test's children.
 * Wrapping the body here costs nothing per test; the `aroundEach` hook the setup file falls back to
 * (when another runner is configured) costs Vitest's hook machinery on every test.
 */
import type { RunnerTestCase as Test } from 'vitest'
import { TestRunner } from 'vitest'
import { runInFrame } from '../current.js'
import { runtime } from '../runtime.js'
import { endTestSpan, startTestSpan, type TestSpan } from './test-span.js'

/** Vitest's test runner, with test spans. */
export default class StrikesTestRunner extends TestRunner {
  private readonly open = new WeakMap<Test, TestSpan>()

  constructor(...args: ConstructorParameters<typeof TestRunner>) {
    super(...args)
    runtime.testRunnerInstalled = true
  }

  /** Runs a test body inside its test span (when the file is a run). */
  async runTask(test: Test): Promise<void> {
    const fn = TestRunner.getTestFn(test)
    const run = runtime.fileRun
    if (run === undefined) {
      await fn()
      return
    }
    const testSpan = startTestSpan(run, test)
    this.open.set(test, testSpan)
    await runInFrame(testSpan.frame, fn)
  }

  /** Ends the test span once the test's result is known (after its hooks). */
  onTaskFinished(test: Test): void {
    const testSpan = this.open.get(test)
    const run = runtime.fileRun
    if (testSpan === undefined || run === undefined) return
    this.open.delete(test)
    endTestSpan(run, test, testSpan)
  }
}
