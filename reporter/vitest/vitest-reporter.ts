/**
 * The strikes Vitest reporter: one session per `vitest` run (a watch-mode rerun is a new session), one
 * run per eval file. It hands workers their configuration, claims each file's spool for ingest when the
 * file ends, and at the end of the run has the session recorded, gated and reported, then prints the
 * summary. Vitest's hooks come to it through the package's default export (`src/reporter-entry.ts`).
 */
import { basename, isAbsolute, resolve } from 'node:path'
import type { Reporter, SerializedError, TestModule, TestRunEndReason, Vitest } from 'vitest/node'
import type { RunStatus } from '../../src/shared/spool/format.js'
import { WORKER_CONFIG_KEY, type WorkerConfig } from '../../src/shared/worker-config.js'
import { packageNameAt } from '../package-info.js'
import { finishSession } from '../session/finish-session.js'
import { SessionRecorder } from '../session/session-recorder.js'
import { IngestQueue } from '../store/ingest-queue.js'
import { formatSummary, loadSessionSummary } from '../summary.js'
import type { ResolvedStrikesOptions } from './options.js'

/** Records each `vitest` run as a session. */
export class StrikesVitestReporter implements Reporter {
  readonly #options: ResolvedStrikesOptions
  #vitest: Vitest | undefined
  #dbPath = ''
  #project = 'default'
  #queue: IngestQueue | undefined
  #session: SessionRecorder | undefined

  constructor(options: ResolvedStrikesOptions) {
    this.#options = options
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
    const root = vitest.config.root
    this.#dbPath = isAbsolute(this.#options.db) ? this.#options.db : resolve(root, this.#options.db)
    this.#project = this.#options.project ?? packageNameAt(root) ?? basename(root)
    this.#queue = new IngestQueue(this.#dbPath, this.#options.lockTimeoutMs)
  }

  onTestRunStart(): void {
    const vitest = this.#requireVitest()
    // Load DuckDB's native module while the tests run, not when the first file ends (errors surface there).
    import('@duckdb/node-api').catch(() => undefined)
    const session = new SessionRecorder({
      queue: this.#requireQueue(),
      spoolRoot: `${this.#dbPath}.spool`,
      root: vitest.config.root,
      vitestVersion: vitest.version,
    })
    this.#session = session
    const config: WorkerConfig = {
      version: 1,
      sessionId: session.id,
      spoolRoot: session.place.spoolRoot,
      root: vitest.config.root,
      project: this.#project,
      include: this.#options.include,
      dbPath: this.#dbPath,
      otlp: this.#options.otlp,
      otlpContent: this.#options.otlpContent,
      settings: this.#options.settings,
    }
    vitest.provide(WORKER_CONFIG_KEY, config)
  }

  onTestModuleEnd(testModule: TestModule): void {
    const session = this.#session
    if (session === undefined) return
    const status = moduleStatus(testModule)
    for (const run of session.unclaimedRuns()) {
      if (run.start.file === testModule.moduleId) session.claim(run, status)
    }
  }

  async onTestRunEnd(
    _modules: ReadonlyArray<TestModule>,
    _errors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Promise<void> {
    const session = this.#session
    if (session === undefined) return
    this.#session = undefined
    const endStarted = performance.now()
    const vitest = this.#requireVitest()
    const root = vitest.config.root
    const result = await session.end(reason, async (database, facts) => {
      const finished = await finishSession(database, facts, { options: this.#options, root, status: reason })
      const summary = await loadSessionSummary(database, session.id)
      return { gatePassed: finished.gatePassed, value: { outcome: finished.value, summary } }
    })
    const logger = vitest.logger
    for (const warning of result.warnings) logger.warn(warning)
    const finished = result.finished
    if (finished !== undefined) {
      const { outcome, summary } = finished.value
      logger.log(
        formatSummary(summary, {
          dbPath: this.#dbPath,
          reportPath: outcome.reportPath,
          cwd: process.cwd(),
          color: useColor(),
        }),
      )
      for (const note of outcome.notes) logger.log(note)
    }
    const errors = [...result.errors, ...(finished?.value.outcome.errors ?? [])]
    for (const error of errors) logger.error(error.message)
    if (process.env.STRIKES_TIMINGS === '1') {
      const { rows, ms } = result.totals
      const timings = finished?.value.outcome.timings
      logger.log(
        `strikes timings: ingested ${rows} rows in ${ms.toFixed(0)} ms (${Math.round(rows / Math.max(ms / 1000, 1e-3))} rows/s); ` +
          `gates ${(timings?.gatesMs ?? 0).toFixed(0)} ms; report ${(timings?.reportMs ?? 0).toFixed(0)} ms; ` +
          `session end ${(performance.now() - endStarted).toFixed(0)} ms`,
      )
    }
    if (finished?.gatePassed === false || errors.length > 0 || finished === undefined) process.exitCode = 1
  }

  #requireVitest(): Vitest {
    if (this.#vitest === undefined)
      throw new Error('strikes: the reporter was used before Vitest initialised it')
    return this.#vitest
  }

  #requireQueue(): IngestQueue {
    if (this.#queue === undefined)
      throw new Error('strikes: the reporter was used before Vitest initialised it')
    return this.#queue
  }
}

function moduleStatus(testModule: TestModule): RunStatus {
  if (testModule.errors().length > 0) return 'failed'
  const state = testModule.state()
  if (state === 'passed') return 'passed'
  if (state === 'skipped') return 'skipped'
  return 'failed'
}

function useColor(): boolean {
  if (process.env.NO_COLOR !== undefined) return false
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true
  return process.stdout.isTTY === true
}
