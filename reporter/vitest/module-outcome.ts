/**
 * A finished test file's run outcome, from what Vitest reports (`TestModule`) and what the worker wrote
 * at the file's end: `failed` when a test failed or an error happened outside the tests (an import-time
 * throw, a failing `beforeAll`), `cancelled` when `--bail` or Ctrl-C stopped it, `skipped` when none of its
 * tests ran, else `passed` — with the text of the errors outside tests.
 */
import type { SerializedError, TestModule } from 'vitest/node'
import { errorText } from '../../src/shared/error-text.js'
import type { RunStatus } from '../../src/shared/spool/format.js'
import type { SpoolRun } from '../../src/shared/spool/reader.js'
import type { RunOutcome } from '../store/ingest.js'

/** The outcome of a run whose file ended. */
export function moduleOutcome(testModule: TestModule, run: SpoolRun): RunOutcome {
  const errors = testModule.errors()
  const state = testModule.state()
  const worker = run.end?.status
  let status: RunStatus
  if (errors.length > 0 || state === 'failed' || worker === 'failed') status = 'failed'
  else if (worker === 'cancelled') status = 'cancelled'
  else if (state === 'skipped' || worker === 'skipped') status = 'skipped'
  else status = 'passed'
  const error = run.end?.error ?? (errors.length > 0 ? errors.map(errorText).join('\n\n') : undefined)
  return { status, error }
}

/** The test file an unhandled error happened in, when Vitest could tell (`VITEST_TEST_PATH`). */
export function unhandledErrorFile(error: SerializedError): string | undefined {
  const path = (error as { VITEST_TEST_PATH?: unknown }).VITEST_TEST_PATH
  return typeof path === 'string' && path !== '' ? path : undefined
}

/** An unhandled error as stored on its run: its kind (`Unhandled Rejection`), the test, and the error. */
export function unhandledErrorText(error: SerializedError): string {
  const kind = (error as { type?: unknown }).type
  const test = (error as { VITEST_TEST_NAME?: unknown }).VITEST_TEST_NAME
  const where = typeof test === 'string' && test !== '' ? ` during test "${test}"` : ''
  return `${typeof kind === 'string' ? kind : 'Unhandled error'}${where}: ${errorText(error)}`
}
