/**
 * The worker setup file the plugin (or the reporter) adds to Vitest: each test file becomes a run
 * recorded to the spool, and each test case a span of kind `test` that parents the tasks called in it.
 */
import { afterAll, aroundEach, inject, TestRunner } from 'vitest'
import { runInFrame } from '../current.js'
import { enableOtlpExport, flushExport } from '../otlp.js'
import { closeRun, openRun } from '../run-lifecycle.js'
import { runtime } from '../runtime.js'
import { sessionSpoolDir } from '../shared/spool/session-marker.js'
import { WORKER_CONFIG_KEY } from '../shared/worker-config.js'
import { isRunFile } from './run-files.js'
import { endTestSpan, startTestSpan } from './test-span.js'

/**
 * The file's last hook sends the spans still queued for OTLP export. That flush bounds itself — it gives
 * up as soon as the collector stops answering for the export timeout — so the hook may take as long as a
 * collector that keeps answering needs for a large backlog, not Vitest's default hook timeout.
 */
const EXPORT_FLUSH_HOOK_TIMEOUT_MS = 600_000

const config = inject(WORKER_CONFIG_KEY)
const file = TestRunner.getCurrentSuite().file

if (config !== undefined && config.version === 1 && isRunFile(config, file.filepath)) {
  await enableOtlpExport({
    otlp: config.otlp,
    content: config.otlpContent,
    maxObjectBytes: config.settings.maxObjectBytes,
    serviceName: config.project,
    sessionDir: sessionSpoolDir(config.spoolRoot, config.sessionId),
  })
  runtime.settings = { ...config.settings }
  // A previous file in this worker (isolation off) may have left its run open if it crashed mid-way.
  const run = openRun({
    name: file.name,
    project: config.project,
    file: file.filepath,
    sessionId: config.sessionId,
    settings: config.settings,
    spoolRoot: config.spoolRoot,
  })
  runtime.fileRun = run

  // Without strikes' test runner (the project has its own), an aroundEach hook makes the test spans.
  if (runtime.testRunnerInstalled !== true) {
    aroundEach(async (runTest, testContext) => {
      const testSpan = startTestSpan(run, testContext.task)
      try {
        await runInFrame(testSpan.frame, runTest)
      } finally {
        endTestSpan(run, testContext.task, testSpan)
      }
    })
  }

  afterAll(async () => {
    const failed = file.tasks.some((task) => task.result?.state === 'fail')
    if (runtime.fileRun === run) runtime.fileRun = undefined
    closeRun(run, failed ? 'failed' : 'passed')
    await flushExport()
  }, EXPORT_FLUSH_HOOK_TIMEOUT_MS)
}
