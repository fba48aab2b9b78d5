/**
 * The runs of the eval files a worker runs: one run per test file, opened when Vitest starts collecting
 * the file (before its top-level code) and closed when the file ends — with its status (`passed`,
 * `failed`, `skipped`, `cancelled`) and the text of errors outside its tests. Driven by strikes' test
 * runner hooks, which fire for every file whatever the pool and isolation (a setup file is evaluated
 * only once per worker when isolation is off).
 */
import type { RunnerTestFile as File, RunnerTask as Task } from 'vitest'
import { inject } from 'vitest'
import { enableOtlpExport } from '../otlp.js'
import type { Run } from '../run.js'
import { closeRun, openRun } from '../run-lifecycle.js'
import { runtime } from '../runtime.js'
import { errorText } from '../shared/error-text.js'
import { isRunFile, runName } from '../shared/run-files.js'
import type { EndedRunStatus } from '../shared/spool/format.js'
import { sessionSpoolDir } from '../shared/spool/session-marker.js'
import { WORKER_CONFIG_KEY, WORKER_CONFIG_VERSION, type WorkerConfig } from '../shared/worker-config.js'

/** The worker configuration of this session, when the file is recorded. */
export function recordingConfig(): WorkerConfig | undefined {
  const config = inject(WORKER_CONFIG_KEY)
  return config !== undefined && config.version === WORKER_CONFIG_VERSION ? config : undefined
}

/** Sends the session's spans to OTLP when export is on (the collector as the session's configuration says). */
export async function enableFileExport(config: WorkerConfig): Promise<void> {
  await enableOtlpExport({
    otlp: config.otlp,
    content: config.otlpContent,
    maxObjectBytes: config.settings.maxObjectBytes,
    serviceName: config.project,
    sessionDir: sessionSpoolDir(config.spoolRoot, config.sessionId),
  })
}

/** Opens the run of a test file that is an eval file (closing one a crashed earlier file left open). */
export function openFileRun(file: File): Run | undefined {
  const config = recordingConfig()
  if (config === undefined || !isRunFile(config, file.filepath)) return undefined
  runtime.settings = { ...config.settings }
  const run = openRun({
    name: runName(config, file.filepath),
    project: config.project,
    file: file.filepath,
    vitestProject: config.vitestProject,
    sessionId: config.sessionId,
    settings: config.settings,
    spoolRoot: config.spoolRoot,
  })
  const previous = runtime.fileRuns.get(file.id)
  if (previous !== undefined) closeRun(previous, 'failed', 'the file was collected again before it ended')
  runtime.fileRuns.set(file.id, run)
  runtime.fileRun = run
  return run
}

/** Makes a file's run the current one (its tests are about to run). */
export function enterFileRun(file: File): Run | undefined {
  const run = runtime.fileRuns.get(file.id)
  if (run !== undefined) runtime.fileRun = run
  return run
}

/**
 * Closes a file's run with the status its results give and the errors outside its tests; `cancelled`
 * when the run was cancelled (`--bail`, Ctrl-C) before every test of the file ran.
 */
export function closeFileRun(file: File, cancelled: boolean): void {
  const run = runtime.fileRuns.get(file.id)
  if (run === undefined) return
  runtime.fileRuns.delete(file.id)
  if (runtime.fileRun === run) runtime.fileRun = undefined
  const error = errorsOutsideTests(file)
  closeRun(run, fileStatus(file, cancelled, error !== undefined), error)
}

/** The status of a finished file from its tasks' results. */
function fileStatus(file: File, cancelled: boolean, erroredOutsideTests: boolean): EndedRunStatus {
  if (erroredOutsideTests || file.result?.state === 'fail') return 'failed'
  const tests = testsOf(file)
  if (tests.some((test) => test.result?.state === 'fail')) return 'failed'
  if (cancelled) return 'cancelled'
  if (tests.length > 0 && tests.every((test) => test.mode === 'skip' || test.mode === 'todo'))
    return 'skipped'
  if (file.mode === 'skip' || file.mode === 'todo') return 'skipped'
  return 'passed'
}

function testsOf(task: Task): Task[] {
  if (task.type !== 'suite') return [task]
  return task.tasks.flatMap(testsOf)
}

/**
 * The errors of the file and its suites (import-time throws, failing `beforeAll`/`afterAll` hooks,
 * "no test found"), as one text; `undefined` when there were none.
 */
function errorsOutsideTests(file: File): string | undefined {
  const texts: string[] = []
  const visit = (task: Task): void => {
    if (task.type !== 'suite') return
    for (const error of task.result?.errors ?? []) {
      const where = task === file ? '' : `suite "${task.name}": `
      texts.push(where + errorText(error))
    }
    for (const child of task.tasks) visit(child)
  }
  visit(file)
  return texts.length === 0 ? undefined : texts.join('\n\n')
}
