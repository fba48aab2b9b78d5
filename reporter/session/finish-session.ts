/**
 * The steps after a session's runs are ingested, with the database open: the gates (recorded, and
 * printed as a table), then the report. A step that fails adds one error and the others still run;
 * every result is already stored.
 */
import { isAbsolute, resolve } from 'node:path'
import type { Database } from '../store/database.js'
import type { ResolvedStrikesOptions } from '../vitest/options.js'
import type { Finished, SessionFacts } from './session-recorder.js'

/** What the finishing steps produce, for the summary and the exit code. */
export interface SessionOutcome {
  reportPath: string | undefined
  /** Lines printed after the summary (gate table, report notes). */
  readonly notes: string[]
  readonly errors: Error[]
  /** Milliseconds spent on the gates and the report (printed with STRIKES_TIMINGS=1). */
  readonly timings: { gatesMs: number; reportMs: number }
}

/** What the steps need beyond the database. */
export interface FinishContext {
  readonly options: ResolvedStrikesOptions
  /** The Vitest root: a relative report path is resolved against it. */
  readonly root: string
  /** Vitest's reason for ending (`passed`, `failed`, `interrupted`). */
  readonly status: string
}

/** Evaluates and records the gates, then writes the report. */
export async function finishSession(
  database: Database,
  facts: SessionFacts,
  context: FinishContext,
): Promise<Finished<SessionOutcome>> {
  const outcome: SessionOutcome = {
    reportPath: undefined,
    notes: [],
    errors: [],
    timings: { gatesMs: 0, reportMs: 0 },
  }
  // Gates and the report load their modules (the expression parser, the templates) only here.
  const gatesStarted = performance.now()
  let gatePassed: boolean | undefined
  try {
    const { evaluateSessionGates } = await import('../gate/session-gates.js')
    const gates = await evaluateSessionGates(database, {
      sessionId: facts.sessionId,
      options: context.options,
    })
    gatePassed = gates.passed
    outcome.notes.push(...gates.lines)
  } catch (error) {
    gatePassed = false
    outcome.errors.push(
      new Error(`strikes: could not evaluate the gates: ${(error as Error).message}`, { cause: error }),
    )
  }
  outcome.timings.gatesMs = performance.now() - gatesStarted
  const report = context.options.report
  if (report === false) return { gatePassed, value: outcome }
  const reportStarted = performance.now()
  try {
    const { writeSessionReport } = await import('../report/session-report.js')
    outcome.reportPath = await writeSessionReport(database, {
      sessionId: facts.sessionId,
      options: context.options,
      path: isAbsolute(report) ? report : resolve(context.root, report),
      session: {
        startedAt: facts.startedAt,
        endedAt: facts.endedAt,
        status: context.status,
        gatePassed,
        gitSha: facts.gitSha,
      },
    })
  } catch (error) {
    outcome.errors.push(error as Error)
  }
  outcome.timings.reportMs = performance.now() - reportStarted
  return { gatePassed, value: outcome }
}
