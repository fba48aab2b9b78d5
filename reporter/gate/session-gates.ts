/**
 * Gates of a session: the plugin's thresholds evaluated per run on the run-level series (placeholder
 * until the gating work lands: no thresholds are evaluated).
 */
import type { ResolvedStrikesOptions } from '../../src/options.js'
import type { Database } from '../store/database.js'

/** What the gates are evaluated with. */
export interface GateContext {
  readonly sessionId: string
  readonly options: ResolvedStrikesOptions
}

/** The gates' verdict. */
export interface GateOutcome {
  /** `undefined` when no gate was configured. */
  readonly passed: boolean | undefined
  /** Lines to print after the summary (the gate table). */
  readonly lines: readonly string[]
}

/** Evaluates the session's gates (none yet). */
export async function evaluateSessionGates(_database: Database, _context: GateContext): Promise<GateOutcome> {
  return { passed: undefined, lines: [] }
}
