/**
 * Gates of a session, run by the reporter after ingest: the plugin's thresholds evaluated per run on the
 * run-level series, recorded in the `gates` table, and printed as a table.
 */

import type { Database } from '../store/database.js'
import type { ResolvedStrikesOptions } from '../vitest/options.js'
import { evaluateGates, gatesPassed } from './evaluate-gates.js'
import { parseGateDefinitions } from './gate-definition.js'
import { recordGates } from './gate-records.js'
import { formatGateTable } from './gate-table.js'

/** What the gates are evaluated with. */
export interface GateContext {
  readonly sessionId: string
  readonly options: Pick<ResolvedStrikesOptions, 'thresholds' | 'baseline' | 'strict'>
}

/** The gates' verdict. */
export interface GateOutcome {
  /** `undefined` when no gate was configured. */
  readonly passed: boolean | undefined
  /** Lines to print after the summary (the gate table). */
  readonly lines: readonly string[]
}

/**
 * Evaluates the session's gates (the `thresholds` option, baselines per the `baseline` and `strict`
 * options), records them in `gates`, and returns the verdict and the table to print.
 */
export async function evaluateSessionGates(database: Database, context: GateContext): Promise<GateOutcome> {
  const gates = parseGateDefinitions(context.options.thresholds)
  if (gates.length === 0) return { passed: undefined, lines: [] }
  const results = await evaluateGates(database, {
    sessionId: context.sessionId,
    gates,
    baseline: context.options.baseline,
    strict: context.options.strict,
  })
  await recordGates(database, context.sessionId, results)
  return { passed: gatesPassed(results), lines: formatGateTable(results) }
}
