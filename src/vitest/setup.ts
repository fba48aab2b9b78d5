/**
 * The worker setup file the plugin (or the reporter) adds to Vitest: each test file becomes a run
 * recorded to the spool, and each test case a span of kind `test` that parents the tasks called in it.
 */
import { context, ROOT_CONTEXT } from '@opentelemetry/api'
import { afterAll, aroundEach, inject, TestRunner } from 'vitest'
import { TaskCancelledError } from '../errors.js'
import { cleanLabel } from '../labels.js'
import { enableOtlpExport } from '../otlp.js'
import { closeRun, openRun } from '../run-lifecycle.js'
import { runtime } from '../runtime.js'
import { startSpan } from '../span-lifecycle.js'
import type { TestScope } from '../task-span.js'
import { flushTracing } from '../tracing.js'
import { isRunFile } from './run-files.js'
import { WORKER_CONFIG_KEY } from './worker-config.js'

const config = inject(WORKER_CONFIG_KEY)
const file = TestRunner.getCurrentSuite().file

if (config !== undefined && config.version === 1 && isRunFile(config, file.filepath)) {
  await enableOtlpExport({ otlp: config.otlp, serviceName: config.project })
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

  aroundEach(async (runTest, testContext) => {
    const test = testContext.task
    const scope: TestScope = { open: new Set() }
    const { span, context: spanContext } = startSpan<undefined>({
      name: test.fullName,
      label: cleanLabel(test.name) || 'test',
      kind: 'test',
      run,
      attributes: { 'vitest.test.id': test.id, 'vitest.test.name': test.name },
      parentContext: ROOT_CONTEXT,
    })
    try {
      await context.with(spanContext.setValue(runtime.keys.test, scope), runTest)
    } finally {
      for (const open of [...scope.open]) {
        open.fail(
          new TaskCancelledError(
            `task "${open.name}" was still running when test "${test.fullName}" ended; it was cancelled`,
          ),
        )
      }
      const result = test.result
      if (result?.state === 'fail') {
        const first = result.errors?.[0]
        const error = new Error(first?.message ?? 'test failed')
        error.name = first?.name ?? 'Error'
        if (first?.stack !== undefined) error.stack = first.stack
        span.fail(error)
      } else {
        if (result?.state === 'skip') span.setAttribute('vitest.test.skipped', true)
        span.succeed(undefined)
      }
      run.recorder?.flush()
    }
  })

  afterAll(async () => {
    await flushTracing()
    const failed = file.tasks.some((task) => task.result?.state === 'fail')
    if (runtime.fileRun === run) runtime.fileRun = undefined
    closeRun(run, failed ? 'failed' : 'passed')
  })
}
