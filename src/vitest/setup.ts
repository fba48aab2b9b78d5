/**
 * The worker setup file the plugin (or the reporter) adds to Vitest. With strikes' test runner (the
 * default) the runner records everything and this file does nothing. When the project has a runner of
 * its own, this file opens the file's run, makes test spans with an `aroundEach` hook and closes the run
 * in `afterAll` — which needs the file to be evaluated for every test file, i.e. isolation on (the
 * plugin refuses a custom runner without isolation at start-up).
 */
import { afterAll, aroundEach, TestRunner } from 'vitest'
import { runInFrame } from '../current.js'
import { flushExport } from '../otlp.js'
import { runtime } from '../runtime.js'
import { closeFileRun, enableFileExport, openFileRun, recordingConfig } from './file-runs.js'
import { endTestSpan, startTestSpan } from './test-span.js'

/**
 * The file's last hook sends the spans still queued for OTLP export. That flush bounds itself — it gives
 * up as soon as the collector stops answering for the export timeout — so the hook may take as long as a
 * collector that keeps answering needs for a large backlog, not Vitest's default hook timeout.
 */
const EXPORT_FLUSH_HOOK_TIMEOUT_MS = 600_000

const config = recordingConfig()

if (config !== undefined && runtime.testRunnerInstalled !== true) {
  const file = TestRunner.getCurrentSuite().file
  const run = openFileRun(file)
  if (run !== undefined) {
    await enableFileExport(config)

    aroundEach(async (runTest, testContext) => {
      const testSpan = startTestSpan(run, testContext.task)
      try {
        await runInFrame(testSpan.frame, runTest)
      } finally {
        endTestSpan(run, testContext.task, testSpan)
      }
    })

    afterAll(async () => {
      closeFileRun(file, false)
      await flushExport()
    }, EXPORT_FLUSH_HOOK_TIMEOUT_MS)
  }
}
