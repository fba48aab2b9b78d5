/**
 * Gates of a session, run by the reporter after ingest: each recording project's thresholds evaluated on
 * that project's runs (run-level series), recorded in the `gates` table, and printed as a table. The
 * configuration is stored with the session, so `evaluateStoredSessionGates` evaluates a recorded session
 * again exactly as the reporter did — without Vitest or its config (a merged set of shards, a CI step
 * that restored the database).
 */

import type { Database } from '../store/database.js'
import { evaluateGates, type GateResult, gatesPassed } from './evaluate-gates.js'
import { type GateOptions, gateConfigOf, parseGateConfig, type SessionGateConfig } from './gate-config.js'
import { parseGateDefinitions } from './gate-definition.js'
import { recordGates } from './gate-records.js'
import { formatGateTable } from './gate-table.js'

/**
 * What the gates are evaluated with: the configuration of each project, or one set of options for every run.
 */
export interface GateContext {
  readonly sessionId: string
  /** One set of gate options applied to every run of the session. */
  readonly options?: GateOptions
  /** The gates of each recording project (what the reporter stores with the session). */
  readonly configs?: readonly SessionGateConfig[]
}

/** The gates' verdict. */
export interface GateOutcome {
  /** `undefined` when no gate was configured. */
  readonly passed: boolean | undefined
  /** Lines to print after the summary (the gate table). */
  readonly lines: readonly string[]
  /** Every gate result, in table order. */
  readonly results: readonly GateResult[]
}

/**
 * Evaluates the session's gates (each project's `thresholds`, baselines per its `baseline` and `strict`
 * options), records them in `gates`, and returns the verdict, the results and the table to print.
 */
export async function evaluateSessionGates(database: Database, context: GateContext): Promise<GateOutcome> {
  const configs =
    context.configs ?? (context.options === undefined ? [] : [gateConfigOf(null, context.options)])
  const results: GateResult[] = []
  for (const config of configs) {
    const gates = parseGateDefinitions(config.thresholds)
    if (gates.length === 0) continue
    results.push(
      ...(await evaluateGates(database, {
        sessionId: context.sessionId,
        gates,
        baseline: config.baseline ?? undefined,
        strict: config.strict,
        project: config.project,
      })),
    )
  }
  if (results.length === 0) return { passed: undefined, lines: [], results }
  await recordGates(database, context.sessionId, results)
  return { passed: gatesPassed(results), lines: formatGateTable(results), results }
}

/** The gate configuration stored with a session (none for a session recorded before strikes stored it). */
export async function storedGateConfig(database: Database, sessionId: string): Promise<SessionGateConfig[]> {
  const [row] = await database.query<{ gate_config: string | null }>(
    'SELECT gate_config::VARCHAR AS gate_config FROM sessions WHERE session_id = ?',
    [sessionId],
  )
  return row?.gate_config == null ? [] : parseGateConfig(row.gate_config, sessionId)
}

/**
 * Evaluates a recorded session's gates again with the configuration stored with it, records the results
 * in `gates` and returns them: what `strikes gate --db` without expressions, and a merge of shards, call.
 */
export async function evaluateStoredSessionGates(
  database: Database,
  sessionId: string,
): Promise<GateOutcome> {
  return evaluateSessionGates(database, { sessionId, configs: await storedGateConfig(database, sessionId) })
}
