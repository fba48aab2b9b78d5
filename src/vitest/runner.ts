/**
 * The Vitest test runner strikes installs (when the project has no custom runner): Vitest's own runner,
 * extended at its per-file hooks so that every eval file is a run in every pool and isolation mode —
 * opened when the file's collection starts, closed when it ends (or fails to import) — and with each
 * test attempt run inside its test span's frame, so the tasks it calls are the test's children. Wrapping
 * the body here costs nothing per test; the `aroundEach` hook the setup file falls back to (when another
 * runner is configured) costs Vitest's hook machinery on every test.
 */
import type {
  RunnerTestFile as File,
  RunnerTestSuite as Suite,
  RunnerTask as Task,
  RunnerTestCase as Test,
} from 'vitest'
import { TestRunner } from 'vitest'
import { runInFrame } from '../current.js'
import { flushExport } from '../otlp.js'
import { runtime } from '../runtime.js'
import { closeFileRun, enableFileExport, enterFileRun, openFileRun, recordingConfig } from './file-runs.js'
import { type Attempt, endTestSpan, startTestSpan, type TestSpan } from './test-span.js'

type CancelReason = Parameters<TestRunner['cancel']>[0]

/** The note Vitest gives the tests a cancellation skipped while their file was running. */
const ABORTED_NOTE = 'The test run was aborted by the user.'

/** Vitest's test runner, with runs per file and test spans per attempt. */
export default class StrikesTestRunner extends TestRunner {
  private readonly open = new WeakMap<Test, TestSpan>()
  private readonly attempts = new WeakMap<Test, Attempt>()
  /** Set once Vitest cancelled the run (`--bail`, Ctrl-C): files that end afterwards are `cancelled`. */
  private cancelled = false
  /** Tests the cancellation kept from running, by file id. */
  private readonly cancelledFiles = new Set<string>()

  constructor(...args: ConstructorParameters<typeof TestRunner>) {
    super(...args)
    runtime.testRunnerInstalled = true
  }

  /** Sets up OTLP export once the session's configuration is known. */
  async onBeforeCollect(): Promise<void> {
    const config = recordingConfig()
    if (config !== undefined) await enableFileExport(config)
  }

  /** Opens the file's run before its top-level code runs (every file, whatever the isolation). */
  override onCollectStart(file: File): void {
    super.onCollectStart(file)
    openFileRun(file)
  }

  /** Makes the file's run current; a file that failed to import is closed at once, with its error. */
  override async onBeforeRunSuite(suite: Suite): Promise<void> {
    await super.onBeforeRunSuite(suite)
    if (!isFile(suite)) return
    enterFileRun(suite)
    if (suite.result?.state === 'fail') closeOrFail(suite, false)
  }

  /** Closes the file's run with its results (after its `afterAll` hooks). */
  override async onAfterRunSuite(suite: Suite): Promise<void> {
    await super.onAfterRunSuite(suite)
    if (isFile(suite)) {
      closeOrFail(suite, this.stoppedByCancel(suite))
      await flushExport()
    }
  }

  /** Closes what no file hook closed (a file Vitest never ran). */
  override onAfterRunFiles(files?: File[]): void {
    super.onAfterRunFiles()
    for (const file of files ?? []) closeOrFail(file, this.stoppedByCancel(file))
  }

  /**
   * True when the cancellation kept some of the file's tests from running: Vitest skips the tests still
   * pending in a running file (with the abort's note), and those a file reaches afterwards.
   */
  private stoppedByCancel(file: File): boolean {
    if (!this.cancelled) return false
    if (this.cancelledFiles.has(file.id)) return true
    const visit = (task: Task): boolean =>
      task.type === 'suite'
        ? task.tasks.some(visit)
        : task.result?.state === 'skip' && (task.result as { note?: unknown }).note === ABORTED_NOTE
    return visit(file)
  }

  /** Notes the cancellation: tests it keeps from running make their file `cancelled`. */
  override cancel(reason: CancelReason): void {
    this.cancelled = true
    super.cancel(reason)
  }

  /** A test about to run after the cancellation is skipped by Vitest: its file was cancelled. */
  override async onBeforeRunTask(test: Task): Promise<void> {
    const wanted = test.mode === 'run' || test.mode === 'queued'
    await super.onBeforeRunTask(test)
    if (this.cancelled && wanted) this.cancelledFiles.add(test.file.id)
  }

  /** Remembers which attempt of the test is about to run. */
  override onBeforeTryTask(test: Task, options?: { retry: number; repeats: number }): void {
    super.onBeforeTryTask(test)
    if (test.type === 'test')
      this.attempts.set(test, { retry: options?.retry ?? 0, repeat: options?.repeats ?? 0 })
  }

  /** Runs a test body inside its attempt's span (when the file is a run). */
  async runTask(test: Test): Promise<void> {
    const fn = TestRunner.getTestFn(test)
    const run = runtime.fileRun
    if (run === undefined) {
      await fn()
      return
    }
    const testSpan = startTestSpan(run, test, this.attempts.get(test))
    this.open.set(test, testSpan)
    await runInFrame(testSpan.frame, fn)
  }

  /** Ends the attempt's span once its result is known (before its `afterEach` hooks). */
  onTaskFinished(test: Test): void {
    const testSpan = this.open.get(test)
    const run = runtime.fileRun
    if (testSpan === undefined || run === undefined) return
    this.open.delete(test)
    endTestSpan(run, test, testSpan)
  }
}

/**
 * Closes a file's run; when its spool could not be written (a full disk), the file fails with that error,
 * as Vitest shows it, and the reporter stores what was flushed before.
 */
function closeOrFail(file: File, cancelled: boolean): void {
  try {
    closeFileRun(file, cancelled)
  } catch (thrown) {
    const error = thrown instanceof Error ? thrown : new Error(String(thrown))
    file.result ??= { state: 'fail' }
    file.result.state = 'fail'
    file.result.errors = [
      ...(file.result.errors ?? []),
      { name: error.name, message: error.message, stack: error.stack ?? error.message },
    ]
  }
}

function isFile(task: Task): task is File {
  return task.type === 'suite' && task.file === task
}
