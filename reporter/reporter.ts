/**
 * The strikes Vitest reporter (`--reporter=strikes`): one session per `vitest` run, one run per eval
 * file. Workers spool records; this reporter ingests each file's spool when the file ends, ingests what
 * crashed workers left, writes the session row, and prints a per-run summary. It is the only code that
 * touches DuckDB, and loads it lazily in the main process.
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, rmSync } from 'node:fs'
import { basename, isAbsolute, resolve } from 'node:path'
import type { Reporter, SerializedError, TestModule, TestRunEndReason, Vitest } from 'vitest/node'
import { type ResolvedStrikesOptions, resolveOptions, type StrikesOptions } from '../src/options.js'
import { pluginOptionsFor } from '../src/plugin.js'
import { applyToProject } from '../src/vitest/project-config.js'
import { WORKER_CONFIG_KEY, type WorkerConfig } from '../src/vitest/worker-config.js'
import { gitSha } from './git.js'
import { packageNameAt, strikesVersion } from './package-info.js'
import type { Database } from './store/database.js'
import type { RunStatus } from './store/ingest.js'
import { IngestQueue } from './store/ingest-queue.js'
import { type SessionRow, upsertSession } from './store/sessions.js'
import {
  leftoverSessions,
  readSessionMarker,
  readSpoolRun,
  runFolders,
  type SpoolRun,
  sessionSpoolDir,
  writeSessionMarker,
} from './store/spool-reader.js'
import { formatSummary, loadSessionSummary } from './summary.js'

/** One `vitest` run (a watch-mode rerun is a new session). */
interface ActiveSession {
  readonly id: string
  readonly startedAt: Date
  readonly spoolDir: string
  /** Run folders already queued for ingest. */
  readonly claimed: Set<string>
}

/** What the session's finishing steps produce, for the summary and the exit code. */
export interface SessionOutcome {
  /** `undefined` when no gate was configured. */
  gatePassed: boolean | undefined
  reportPath: string | undefined
  /** Lines printed after the summary (gate table, report notes). */
  notes: string[]
  errors: Error[]
  /** Milliseconds spent on the gates and the report (printed with STRIKES_TIMINGS=1). */
  timings: { gatesMs: number; reportMs: number }
}

/** How the session ended, as the session row and the report record it. */
export interface SessionEnding {
  readonly status: TestRunEndReason
  readonly endedAt: Date
  readonly gitSha: string | undefined
}

/** The strikes reporter; options given here are used when the plugin is not in the config. */
export class StrikesReporter implements Reporter {
  private vitest: Vitest | undefined
  private options: ResolvedStrikesOptions
  private dbPath = ''
  private spoolRoot = ''
  private project = 'default'
  private queue: IngestQueue | undefined
  private session: ActiveSession | undefined
  private delegate: Reporter | undefined

  constructor(options?: StrikesOptions) {
    this.options = resolveOptions(options ?? {})
  }

  async onInit(vitest: Vitest): Promise<void> {
    this.vitest = vitest
    const fromPlugin = pluginOptionsFor(vitest)
    if (fromPlugin !== undefined) this.options = fromPlugin
    else for (const project of vitest.projects) applyToProject(project, this.options.include)
    const root = vitest.config.root
    this.dbPath = isAbsolute(this.options.db) ? this.options.db : resolve(root, this.options.db)
    this.spoolRoot = `${this.dbPath}.spool`
    this.project = this.options.project ?? packageNameAt(root) ?? basename(root)
    this.queue = new IngestQueue(this.dbPath, this.options.lockTimeoutMs)
    await this.attachDefaultOutput(vitest)
  }

  /**
   * With `--reporter=strikes` alone, Vitest's own output would vanish: keep it by forwarding every
   * reporter hook to Vitest's default reporter (its summary prints before ours).
   */
  private async attachDefaultOutput(vitest: Vitest): Promise<void> {
    const alone = vitest.config.reporters.every((entry) =>
      Array.isArray(entry) ? entry[0] === 'strikes' : entry instanceof StrikesReporter,
    )
    if (!alone) return
    const { DefaultReporter } = await import('vitest/node')
    const delegate = new DefaultReporter() as unknown as Record<string, unknown> & Reporter
    this.delegate = delegate
    const self = this as unknown as Record<string, unknown>
    for (const name of hookNames(delegate)) {
      if (name in StrikesReporter.prototype) continue
      self[name] = (...args: unknown[]) =>
        (delegate[name] as (...args: unknown[]) => unknown).apply(delegate, args)
    }
    delegate.onInit?.(vitest)
  }

  onTestRunStart(
    specifications: Parameters<NonNullable<Reporter['onTestRunStart']>>[0],
  ): PromiseLike<void> | void {
    const forwarded = this.delegate?.onTestRunStart?.(specifications)
    this.startSession()
    return forwarded
  }

  private startSession(): void {
    const vitest = this.requireVitest()
    // Load DuckDB's native module while the tests run, not when the first file ends (errors surface there).
    import('@duckdb/node-api').catch(() => undefined)
    const id = randomUUID()
    const startedAt = new Date()
    const spoolDir = sessionSpoolDir(this.spoolRoot, id)
    mkdirSync(spoolDir, { recursive: true })
    writeSessionMarker(spoolDir, id, startedAt)
    this.session = { id, startedAt, spoolDir, claimed: new Set() }
    const config: WorkerConfig = {
      version: 1,
      sessionId: id,
      spoolRoot: this.spoolRoot,
      root: vitest.config.root,
      project: this.project,
      include: this.options.include,
      dbPath: this.dbPath,
      otlp: this.options.otlp,
      settings: this.options.settings,
    }
    vitest.provide(WORKER_CONFIG_KEY, config)
  }

  onTestModuleEnd(testModule: TestModule): PromiseLike<void> | void {
    const forwarded = this.delegate?.onTestModuleEnd?.(testModule)
    this.claimModule(testModule)
    return forwarded
  }

  private claimModule(testModule: TestModule): void {
    const session = this.session
    if (session === undefined) return
    const status = moduleStatus(testModule)
    for (const run of this.unclaimedRuns(session)) {
      if (run.start.file !== testModule.moduleId) continue
      this.claim(session, run, status)
    }
  }

  async onTestRunEnd(
    modules: ReadonlyArray<TestModule>,
    errors: ReadonlyArray<SerializedError>,
    reason: TestRunEndReason,
  ): Promise<void> {
    await this.delegate?.onTestRunEnd?.(modules, errors, reason)
    const endStarted = performance.now()
    const session = this.session
    const queue = this.queue
    if (session === undefined || queue === undefined) return
    this.session = undefined
    // Files whose worker died never reported an end: their runs are crashed, with every batch they flushed.
    for (const run of this.unclaimedRuns(session)) {
      this.claim(session, run, run.end === undefined ? 'crashed' : run.end.status)
    }
    const leftovers = this.claimLeftovers(session.id)
    await queue.drain()
    for (const leftover of leftovers) removeIfEmpty(leftover.dir)
    const outcome: SessionOutcome = {
      gatePassed: undefined,
      reportPath: undefined,
      notes: [],
      errors: [],
      timings: { gatesMs: 0, reportMs: 0 },
    }
    const root = this.requireVitest().config.root
    const ending: SessionEnding = { status: reason, endedAt: new Date(), gitSha: gitSha(root) }
    const summary = await queue.withDatabase(async (database) => {
      for (const leftover of leftovers) await upsertSession(database, leftover.row)
      await this.finishSession(database, session, outcome, ending)
      await upsertSession(database, {
        sessionId: session.id,
        startedAt: session.startedAt,
        endedAt: ending.endedAt,
        status: reason,
        gatePassed: outcome.gatePassed,
        strikesVersion: strikesVersion(),
        vitestVersion: this.vitest?.version,
        gitSha: ending.gitSha,
        root,
      })
      return loadSessionSummary(database, session.id)
    })
    removeIfEmpty(session.spoolDir)
    const problems = queue.takeProblems()
    this.print(summary, outcome, [...problems.errors, ...outcome.errors], problems.warnings)
    if (process.env.STRIKES_TIMINGS === '1') {
      const { rows, ms } = queue.totals
      this.requireVitest().logger.log(
        `strikes timings: ingested ${rows} rows in ${ms.toFixed(0)} ms (${Math.round(rows / Math.max(ms / 1000, 1e-3))} rows/s); ` +
          `gates ${outcome.timings.gatesMs.toFixed(0)} ms; report ${outcome.timings.reportMs.toFixed(0)} ms; ` +
          `session end ${(performance.now() - endStarted).toFixed(0)} ms`,
      )
      queue.totals.rows = 0
      queue.totals.ms = 0
      queue.totals.runs = 0
    }
    const failed = problems.errors.length > 0 || outcome.errors.length > 0 || summary === undefined
    if (outcome.gatePassed === false || failed) process.exitCode = 1
  }

  /**
   * Steps after ingest, with the database open: the gates (recorded, and printed as a table), then the
   * report. A step that fails adds one error and the others still run; every result is already stored.
   * @internal
   */
  protected async finishSession(
    database: Database,
    session: ActiveSession,
    outcome: SessionOutcome,
    ending: SessionEnding,
  ): Promise<void> {
    // Gates and the report load their modules (the expression parser, the templates) only here, so
    // importing `strikes` in a test worker stays light.
    const gatesStarted = performance.now()
    try {
      const { evaluateSessionGates } = await import('./gate/session-gates.js')
      const gates = await evaluateSessionGates(database, { sessionId: session.id, options: this.options })
      outcome.gatePassed = gates.passed
      outcome.notes.push(...gates.lines)
    } catch (error) {
      outcome.gatePassed = false
      outcome.errors.push(
        new Error(`strikes: could not evaluate the gates: ${(error as Error).message}`, { cause: error }),
      )
    }
    outcome.timings.gatesMs = performance.now() - gatesStarted
    const report = this.options.report
    if (report === false) return
    const path = isAbsolute(report) ? report : resolve(this.requireVitest().config.root, report)
    const reportStarted = performance.now()
    try {
      const { writeSessionReport } = await import('./report/session-report.js')
      outcome.reportPath = await writeSessionReport(database, {
        sessionId: session.id,
        options: this.options,
        path,
        session: {
          startedAt: session.startedAt,
          endedAt: ending.endedAt,
          status: ending.status,
          gatePassed: outcome.gatePassed,
          gitSha: ending.gitSha,
        },
      })
    } catch (error) {
      outcome.errors.push(error as Error)
    }
    outcome.timings.reportMs = performance.now() - reportStarted
  }

  private print(
    summary: Awaited<ReturnType<typeof loadSessionSummary>> | undefined,
    outcome: SessionOutcome,
    errors: Error[],
    warnings: string[],
  ): void {
    const logger = this.requireVitest().logger
    for (const warning of warnings) logger.warn(warning)
    if (summary !== undefined) {
      logger.log(
        formatSummary(summary, {
          dbPath: this.dbPath,
          reportPath: outcome.reportPath,
          cwd: process.cwd(),
          color: useColor(),
        }),
      )
    }
    for (const note of outcome.notes) logger.log(note)
    for (const error of errors) logger.error(error.message)
  }

  private unclaimedRuns(session: ActiveSession): SpoolRun[] {
    const runs: SpoolRun[] = []
    for (const dir of runFolders(session.spoolDir)) {
      if (session.claimed.has(dir)) continue
      const run = readSpoolRun(dir)
      if (run !== undefined) runs.push(run)
    }
    return runs
  }

  private claim(session: ActiveSession, run: SpoolRun, status: RunStatus): void {
    session.claimed.add(run.dir)
    this.queue?.enqueue({ run, outcome: { status } })
  }

  /** Queues the runs of sessions whose process is gone (interrupted during ingest, say); returns their folders and rows. */
  private claimLeftovers(currentId: string): { dir: string; row: SessionRow }[] {
    const leftovers: { dir: string; row: SessionRow }[] = []
    for (const dir of leftoverSessions(this.spoolRoot, currentId)) {
      const marker = readSessionMarker(dir)
      const sessionId = marker?.session_id ?? basename(dir)
      const runs = runFolders(dir)
        .map((runDir) => readSpoolRun(runDir))
        .filter((run): run is SpoolRun => run !== undefined)
      for (const run of runs) {
        this.queue?.enqueue({ run, outcome: { status: run.end === undefined ? 'crashed' : run.end.status } })
      }
      leftovers.push({
        dir,
        row: {
          sessionId,
          startedAt: new Date(marker?.started_at ?? Date.now()),
          endedAt: undefined,
          status: 'interrupted',
          gatePassed: undefined,
          strikesVersion: strikesVersion(),
          vitestVersion: this.vitest?.version,
          gitSha: undefined,
          root: this.requireVitest().config.root,
        },
      })
    }
    return leftovers
  }

  private requireVitest(): Vitest {
    if (this.vitest === undefined)
      throw new Error('strikes: the reporter was used before Vitest initialised it')
    return this.vitest
  }
}

/** Names of the reporter hooks an object implements (own or inherited `on…` methods). */
function hookNames(reporter: object): string[] {
  const names = new Set<string>()
  for (
    let proto = reporter;
    proto !== null && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (/^on[A-Z]/.test(name) && typeof (reporter as Record<string, unknown>)[name] === 'function')
        names.add(name)
    }
  }
  return [...names]
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

/** Removes a session spool folder once every run in it was ingested (only its marker remains). */
function removeIfEmpty(dir: string): void {
  try {
    const left = readdirSync(dir).filter((name) => name !== 'session.json')
    if (left.length === 0) rmSync(dir, { recursive: true, force: true })
  } catch {
    // already gone
  }
}
