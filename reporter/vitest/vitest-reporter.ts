/**
 * The strikes Vitest reporter: one session per database and `vitest` run (a watch-mode rerun is a new
 * session), one run per eval file. At the start it works out what the run selects of each database's eval
 * files (partial or whole) and hands each project's workers their configuration; it claims each file's
 * spool for ingest when the file ends, with its status and errors; at the end it has each session
 * recorded, gated and reported, then prints the summaries. Vitest's hooks come to it through the
 * package's default export (`src/reporter-entry.ts`).
 */
import type {
  Reporter,
  SerializedError,
  TestModule,
  TestRunEndReason,
  TestSpecification,
  Vitest,
} from 'vitest/node'
import {
  WORKER_CONFIG_KEY,
  WORKER_CONFIG_VERSION,
  type WorkerConfig,
} from '../../src/shared/worker-config.js'
import { finishSession, type SessionOutcome } from '../session/finish-session.js'
import { SessionRecorder } from '../session/session-recorder.js'
import { prepareToOpen } from '../store/database.js'
import { formatSuiteSummary } from '../suite-summary.js'
import { formatSummary, type SummaryPlaces } from '../summary.js'
import { terminalText } from '../terminal-text.js'
import { moduleOutcome, unhandledErrorFile, unhandledErrorText } from './module-outcome.js'
import { gateConfigsOf, type RecordingPlan, type RecordingTarget } from './recording-plan.js'
import { selectRuns } from './run-selection.js'

/** A database's session while a `vitest` run is under way. */
interface ActiveSession {
  readonly target: RecordingTarget
  readonly recorder: SessionRecorder
}

/** Records each `vitest` run as one session per database. */
export class StrikesVitestReporter implements Reporter {
  readonly #plan: RecordingPlan
  #vitest: Vitest | undefined
  #sessions: ActiveSession[] = []
  /** The next run is a watch-mode rerun (of changed files, or after a filter typed at the prompt). */
  #watchRerun = false
  /** Why a database's session could not start (its spool folder could not be created): told again at the end. */
  #startErrors: string[] = []

  constructor(plan: RecordingPlan) {
    this.#plan = plan
  }

  onInit(vitest: Vitest): void {
    this.#vitest = vitest
    if (this.#plan.note !== undefined) vitest.logger.log(this.#plan.note)
  }

  onWatcherRerun(): void {
    this.#watchRerun = true
  }

  async onTestRunStart(specifications: ReadonlyArray<TestSpecification>): Promise<void> {
    const vitest = this.#requireVitest()
    const watchRerun = this.#watchRerun
    this.#watchRerun = false
    this.#sessions = []
    this.#startErrors = []
    if (this.#plan.targets.length === 0) return
    // `--merge-reports` replays blobs: nothing runs, so nothing is recorded (the shards' databases are
    // merged at the end).
    if (vitest.config.mergeReports !== undefined) return
    // While the tests run: load DuckDB and what the first open checks against, and the modules the
    // session's end uses (gates, report), so the end waits for none of them (errors surface there).
    prepareToOpen()
    import('../gate/session-gates.js').catch(() => undefined)
    import('../report/session-report.js').catch(() => undefined)
    for (const target of this.#plan.targets) {
      const selected = await selectRuns(vitest, target, specifications, watchRerun)
      // No eval file of this database runs (a watch-mode rerun of a unit test): no session to record.
      if (selected.selectedCount === 0) continue
      let recorder: SessionRecorder
      try {
        recorder = new SessionRecorder(
          {
            queue: target.queue,
            spoolRoot: `${target.dbPath}.spool`,
            root: vitest.config.root,
            vitestVersion: vitest.version,
          },
          { selection: selected.selection, gates: gateConfigsOf(target) },
        )
      } catch (error) {
        // No spool (a read-only folder, a file in the way): the tests run unrecorded, and the run fails saying why.
        const message = `${(error as Error).message.replace(/\.$/, '')}; nothing of this run is recorded — make the database's folder writable or point the \`db\` option elsewhere`
        this.#startErrors.push(message)
        vitest.logger.error(terminalText(message))
        continue
      }
      this.#sessions.push({ target, recorder })
      for (const recording of target.projects) {
        const config: WorkerConfig = {
          version: WORKER_CONFIG_VERSION,
          sessionId: recorder.id,
          spoolRoot: recorder.place.spoolRoot,
          root: vitest.config.root,
          projectRoot: recording.root,
          vitestProject: recording.project.name,
          qualifiedFiles: selected.qualifiedFiles.get(recording) ?? [],
          project: recording.runProject,
          include: recording.options.include,
          includePattern: recording.includePattern,
          dbPath: target.dbPath,
          otlp: recording.options.otlp,
          otlpContent: recording.options.otlpContent,
          settings: recording.options.settings,
        }
        recording.project.provide(WORKER_CONFIG_KEY, config)
      }
    }
  }

  onTestModuleEnd(testModule: TestModule): void {
    const active = this.#sessionOf(testModule.project.name)
    if (active === undefined) return
    const vitestProject = testModule.project.name
    for (const run of active.recorder.unclaimedRuns()) {
      if (run.start.file !== testModule.moduleId) continue
      if ((run.start.vitest_project ?? vitestProject) !== vitestProject) continue
      active.recorder.claim(run, moduleOutcome(testModule, run))
    }
  }

  async onTestRunEnd(
    _modules: ReadonlyArray<TestModule>,
    errors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Promise<void> {
    const startErrors = this.#startErrors
    this.#startErrors = []
    // A session that could not start is told again after the tests' output, and fails the run.
    for (const message of startErrors) this.#requireVitest().logger.error(terminalText(message))
    if (startErrors.length > 0 && (process.exitCode === undefined || process.exitCode === 0))
      process.exitCode = 1
    const sessions = this.#sessions
    this.#sessions = []
    const vitest = this.#requireVitest()
    if (vitest.config.mergeReports !== undefined) return this.#mergeShards(vitest)
    if (sessions.length === 0) return
    // `--bail` and Ctrl-C cancel the run (Vitest ends it as `interrupted`): the files it kept from starting
    // are stored as cancelled.
    if (reason === 'interrupted') for (const { recorder } of sessions) recorder.markCancelled()
    // Unhandled errors Vitest attributes to a test file fail that file's run, with the error stored.
    for (const error of errors) {
      const file = unhandledErrorFile(error)
      if (file === undefined) continue
      for (const { recorder } of sessions) recorder.addRunError({ file, text: unhandledErrorText(error) })
    }
    let failed = false
    for (const session of sessions) failed = (await this.#endSession(vitest, session, reason)) || failed
    // Never mask an exit code already set (130 after Ctrl-C): only a clean exit becomes a failure.
    if (failed && (process.exitCode === undefined || process.exitCode === 0)) process.exitCode = 1
  }

  /** Ends one database's session and prints its summary; true when it failed (a gate, an error). */
  async #endSession(vitest: Vitest, active: ActiveSession, reason: TestRunEndReason): Promise<boolean> {
    const endStarted = performance.now()
    const { recorder, target } = active
    const root = vitest.config.root
    const result = await recorder.end(reason, (database, facts) =>
      finishSession(database, facts, {
        dbPath: target.dbPath,
        projects: target.projects,
        root,
        status: reason,
      }),
    )
    const logger = vitest.logger
    for (const warning of result.warnings) logger.warn(terminalText(warning))
    const finished = result.finished
    if (finished !== undefined) {
      const outcome = finished.value
      const places = {
        dbPath: target.dbPath,
        reportPath: outcome.reportPath,
        cwd: process.cwd(),
        color: useColor(),
        partial: recorder.selection.partial ? recorder.selection.facts.reasons : undefined,
      }
      logger.log(sessionSummary(outcome, places))
      for (const note of outcome.notes) logger.log(note)
    }
    const errors = [...result.errors, ...(finished?.value.errors ?? [])]
    for (const error of errors) logger.error(terminalText(error.message, { keepLineBreaks: true }))
    if (process.env.STRIKES_TIMINGS === '1') {
      const { rows, runs, ms } = result.totals
      const timings = finished?.value.timings
      logger.log(
        `strikes timings: ingested ${rows} rows of ${runs} runs in ${ms.toFixed(0)} ms (${Math.round(rows / Math.max(ms / 1000, 1e-3))} rows/s); ` +
          `gates ${(timings?.gatesMs ?? 0).toFixed(0)} ms; report ${(timings?.reportMs ?? 0).toFixed(0)} ms; ` +
          `session end ${(performance.now() - endStarted).toFixed(0)} ms`,
      )
    }
    return finished?.gatePassed === false || errors.length > 0 || finished === undefined
  }

  /** `--merge-reports`: merges each database's shard databases, then gates and reports the merged ones. */
  async #mergeShards(vitest: Vitest): Promise<void> {
    const { mergeAtReportMerge } = await import('../merge/merge-reports.js')
    let failed = false
    for (const target of this.#plan.targets) {
      const context = {
        dbPath: target.dbPath,
        projects: target.projects,
        root: vitest.config.root,
        status: 'passed',
      }
      try {
        const merged = await mergeAtReportMerge(context, process.cwd())
        for (const warning of merged.warnings) vitest.logger.warn(warning)
        for (const line of merged.lines) vitest.logger.log(line)
        for (const { outcome, gatePassed } of merged.sessions) {
          const summary = {
            dbPath: target.dbPath,
            reportPath: outcome.reportPath,
            cwd: process.cwd(),
            color: useColor(),
          }
          vitest.logger.log(sessionSummary(outcome, summary))
          for (const note of outcome.notes) vitest.logger.log(note)
          failed ||= gatePassed === false
        }
        for (const error of merged.errors) vitest.logger.error(error.message)
        failed ||= merged.errors.length > 0
      } catch (error) {
        vitest.logger.error((error as Error).message)
        failed = true
      }
    }
    if (failed && (process.exitCode === undefined || process.exitCode === 0)) process.exitCode = 1
  }

  #sessionOf(vitestProject: string): ActiveSession | undefined {
    return this.#sessions.find((session) =>
      session.target.projects.some((recording) => recording.project.name === vitestProject),
    )
  }

  #requireVitest(): Vitest {
    if (this.#vitest === undefined)
      throw new Error('strikes: the reporter was used before Vitest initialised it')
    return this.#vitest
  }
}

/** The summary of a session: the suite summary when it has more than a few runs, else one block per run. */
function sessionSummary(outcome: SessionOutcome, places: SummaryPlaces): string {
  return outcome.keys === undefined
    ? formatSummary(outcome.runs, places)
    : formatSuiteSummary(outcome.runs, outcome.keys, places)
}

function useColor(): boolean {
  if (process.env.NO_COLOR !== undefined) return false
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true
  return process.stdout.isTTY === true
}
