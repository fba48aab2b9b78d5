/**
 * The steps after a session's runs are ingested, with the database open: the gates (recorded, and
 * printed as a table), the summary, the report of each distinct report path, and the CI surfaces — the
 * gates' JUnit XML, and under GitHub Actions one `::error` annotation per failed gate and a job summary.
 * A step that fails adds one error and the others still run; every result is already stored. A step
 * that runs out of DuckDB memory under the session end's limit runs again on one thread first.
 */
import { isAbsolute, relative, resolve } from 'node:path'
import { writeGatesJunit } from '../ci/gates-junit.js'
import { gateAnnotations, inGitHubActions } from '../ci/github-annotations.js'
import { appendJobSummary, jobSummaryMarkdown } from '../ci/job-summary.js'
import type { GateResult } from '../gate/evaluate-gates.js'
import type { Database } from '../store/database.js'
import { retryOnOneThread } from '../store/memory-fallback.js'
import { type KeysAcrossRuns, loadKeysAcrossRuns, SUITE_SUMMARY_MIN_RUNS } from '../suite-summary.js'
import { loadSessionSummary, type RunSummary } from '../summary.js'
import type { ResolvedStrikesOptions } from '../vitest/options.js'
import type { Finished, SessionFacts } from './session-recorder.js'

/** What the finishing steps produce, for the summary and the exit code. */
export interface SessionOutcome {
  /** The first report written (the one the summary points to). */
  reportPath: string | undefined
  /** The runs of the session, as the summary prints them. */
  runs: RunSummary[]
  /** The keys across all the runs, read when the session is a big suite (see `suite-summary.ts`). */
  keys: KeysAcrossRuns | undefined
  /** Lines printed after the summary (gate table, annotations, notes). */
  readonly notes: string[]
  readonly errors: Error[]
  /** Milliseconds spent on the gates and the report (printed with STRIKES_TIMINGS=1). */
  readonly timings: { gatesMs: number; reportMs: number }
}

/** The options of one project recording into the database, and the root its relative paths start from. */
export interface ProjectOutputs {
  readonly options: ResolvedStrikesOptions
  readonly root: string
}

/** What the steps need beyond the database. */
export interface FinishContext {
  readonly dbPath: string
  /** The projects recording into the database (their report, junit, topN, rankBy options). */
  readonly projects: readonly ProjectOutputs[]
  /** The Vitest root: files in the CI surfaces are shown relative to it. */
  readonly root: string
  /** Vitest's reason for ending (`passed`, `failed`, `interrupted`). */
  readonly status: string
  /** The process environment (read for `GITHUB_ACTIONS` and `GITHUB_STEP_SUMMARY`). */
  readonly env?: NodeJS.ProcessEnv
}

/** Evaluates and records the gates, then writes the report and the CI surfaces. */
export async function finishSession(
  database: Database,
  facts: SessionFacts,
  context: FinishContext,
): Promise<Finished<SessionOutcome>> {
  const outcome: SessionOutcome = {
    reportPath: undefined,
    runs: [],
    keys: undefined,
    notes: [],
    errors: [],
    timings: { gatesMs: 0, reportMs: 0 },
  }
  // Gates and the report load their modules (the expression parser, the templates) only here.
  const gatesStarted = performance.now()
  let gatePassed: boolean | undefined
  let results: readonly GateResult[] = []
  try {
    const { evaluateSessionGates } = await import('../gate/session-gates.js')
    const gates = await retryOnOneThread(database, () =>
      evaluateSessionGates(database, { sessionId: facts.sessionId, configs: facts.gates }),
    )
    gatePassed = gates.passed
    results = gates.results
    outcome.notes.push(...gates.lines)
  } catch (error) {
    gatePassed = false
    outcome.errors.push(
      new Error(`strikes: could not evaluate the gates: ${(error as Error).message}`, { cause: error }),
    )
  }
  outcome.timings.gatesMs = performance.now() - gatesStarted
  outcome.runs = await retryOnOneThread(database, () => loadSessionSummary(database, facts.sessionId))
  if (outcome.runs.length > SUITE_SUMMARY_MIN_RUNS)
    outcome.keys = await retryOnOneThread(database, () => loadKeysAcrossRuns(database, facts.sessionId))
  const reportStarted = performance.now()
  const reports = await writeReports(database, facts, context, gatePassed, outcome.errors)
  outcome.reportPath = reports[0]
  outcome.timings.reportMs = performance.now() - reportStarted
  writeCiSurfaces(facts, context, { gatePassed, results, runs: outcome.runs, reports }, outcome)
  return { gatePassed, value: outcome }
}

/** Writes the report of each distinct report path of the database's projects; returns the paths written. */
async function writeReports(
  database: Database,
  facts: SessionFacts,
  context: FinishContext,
  gatePassed: boolean | undefined,
  errors: Error[],
): Promise<string[]> {
  const written: string[] = []
  for (const { path, options } of outputPaths(context.projects, (options) => options.report)) {
    try {
      const { writeSessionReport } = await import('../report/session-report.js')
      const reportPath = await retryOnOneThread(database, () =>
        writeSessionReport(database, {
          sessionId: facts.sessionId,
          options,
          path,
          session: {
            startedAt: facts.startedAt,
            endedAt: facts.endedAt,
            status: context.status,
            gatePassed,
            gitSha: facts.gitSha,
          },
        }),
      )
      if (reportPath !== undefined) written.push(reportPath)
    } catch (error) {
      errors.push(error as Error)
    }
  }
  return written
}

/** The gates' JUnit XML (each distinct path), and under GitHub Actions the annotations and job summary. */
function writeCiSurfaces(
  facts: SessionFacts,
  context: FinishContext,
  session: {
    gatePassed: boolean | undefined
    results: readonly GateResult[]
    runs: readonly RunSummary[]
    reports: readonly string[]
  },
  outcome: SessionOutcome,
): void {
  const files = new Map(session.runs.map((run) => [run.runId, relative(context.root, run.file)]))
  for (const { path } of outputPaths(context.projects, (options) => options.junit)) {
    try {
      writeGatesJunit(path, session.results, { sessionId: facts.sessionId, files })
    } catch (error) {
      outcome.errors.push(
        new Error(
          `strikes: could not write the gates' JUnit XML to ${path} (${(error as Error).message}); ` +
            'the gates are in the database',
          { cause: error },
        ),
      )
    }
  }
  const env = context.env ?? process.env
  if (!inGitHubActions(env)) return
  outcome.notes.push(...gateAnnotations(session.results, files))
  const summaryPath = env.GITHUB_STEP_SUMMARY
  if (summaryPath === undefined || summaryPath === '') return
  try {
    appendJobSummary(
      summaryPath,
      jobSummaryMarkdown({
        sessionId: facts.sessionId,
        status: context.status,
        gatePassed: session.gatePassed,
        results: session.results,
        runs: session.runs,
        partial: facts.selection.partial ? facts.selection.facts.reasons : undefined,
        dbPath: context.dbPath,
        reportPaths: session.reports,
        cwd: process.cwd(),
      }),
    )
  } catch (error) {
    outcome.errors.push(
      new Error(`strikes: could not append the job summary to ${summaryPath}: ${(error as Error).message}`, {
        cause: error,
      }),
    )
  }
}

/**
 * Each distinct path an output option names across the projects (a relative one resolved against its
 * project's root), with the options of the first project naming it; projects with the output off are
 * left out.
 */
function outputPaths(
  projects: readonly ProjectOutputs[],
  pathOf: (options: ResolvedStrikesOptions) => string | false,
): { path: string; options: ResolvedStrikesOptions }[] {
  const found = new Map<string, ResolvedStrikesOptions>()
  for (const { options, root } of projects) {
    const named = pathOf(options)
    if (named === false) continue
    const path = isAbsolute(named) ? named : resolve(root, named)
    if (!found.has(path)) found.set(path, options)
  }
  return [...found].map(([path, options]) => ({ path, options }))
}
