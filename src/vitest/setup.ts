/**
 * The worker setup file the plugin (or the reporter) adds to Vitest. With strikes' test runner (the
 * default) the runner records everything and this file does nothing. When the project has a runner of
 * its own, this file opens the file's run, makes test spans with an `aroundEach` hook and closes the run
 * in `afterAll` — which needs the file to be evaluated for every test file, i.e. isolation on (the
 * plugin refuses a custom runner without isolation at start-up).
 */
import { afterAll, aroundEach, TestRunner } from 'vitest'
import { runInFrame } from '../current.js'
import { enableOtlpExport, flushExport } from '../otlp.js'
import { runtime } from '../runtime.js'
import { closeFileRun, openFileRun, recordingConfig } from './file-runs.js'
import { endTestSpan, startTestSpan } from './test-span.js'

const config = recordingConfig()

if (config !== undefined && runtime.testRunnerInstalled !== true) {
  const file = TestRunner.getCurrentSuite().file
  const run = openFileRun(file)
  if (run !== undefined) {
    await enableOtlpExport({ otlp: config.otlp, serviceName: config.project })

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
    })
  }
}
