/**
 * Evaluating gates over one session: every gate is checked on every run of the session that ran and
 * recorded its key — comparisons on the run-level series (plain aggregates of the raw values in DuckDB, or
 * statistics over inputs), `no regression` by a paired test against the baseline run; a key no run
 * recorded fails as "no data" — unless its file did not run (a partial session, a cancelled or skipped
 * file), which makes it "not run" (see `what-ran.ts`); a regression gate without a baseline (or with too
 * few paired inputs to test) says so and passes unless `strict`, and so does a gate that did not run.
 */
import type { Database } from '../store/database.js'
import { BaselineFinder, type GatedRun } from './baseline.js'
import { closestWord } from './closest-word.js'
import { evaluateComparison } from './comparison-gate.js'
import { printThreshold } from './expression-printer.js'
import type { GateDefinition } from './gate-definition.js'
import type { GateResult } from './gate-result.js'
import { evaluateNoRegression } from './regression-gate.js'
import { loadSeriesAggregates, type SeriesAggregates, seriesIndex, seriesKey } from './series-aggregates.js'
import { stoppedReason, WhatRan } from './what-ran.js'

export type { GateResult } from './gate-result.js'
export type { GateVerdict } from './gate-verdict.js'

/** What to evaluate. */
export interface EvaluateGatesOptions {
  readonly sessionId: string
  readonly gates: readonly GateDefinition[]
  /** Baseline session reference (`latest`, id, id prefix, git sha); default: each file's previous run. */
  readonly baseline?: string | undefined
  /**
   * A regression gate without a baseline (or with too few paired inputs) fails, and so does a gate whose file
   * did not run.
   */
  readonly strict?: boolean | undefined
  /** Only the runs of this `runs.project` (a project's own thresholds); default: every run. */
  readonly project?: string | null | undefined
}

/** Evaluates gates over a session's runs, in gate order then run name order. */
export async function evaluateGates(
  database: Database,
  options: EvaluateGatesOptions,
): Promise<GateResult[]> {
  const { sessionId, gates } = options
  if (gates.length === 0) return []
  const whatRan = await WhatRan.load(database, sessionId, options.project)
  const runs: readonly GatedRun[] = whatRan.judged
  const keys = [...new Set(gates.map((gate) => gate.key))]
  const observed = seriesIndex(
    await loadSeriesAggregates(
      database,
      runs.map((run) => run.runId),
      keys,
    ),
  )
  const finder = new BaselineFinder(database, sessionId, options.baseline)
  const strict = options.strict === true
  const thresholds = thresholdsByKey(gates)
  const results: GateResult[] = []
  let recordedKeys: Promise<string[]> | undefined
  for (const gate of gates) {
    const expression = printThreshold(gate.expression)
    const gated = runs.filter((run) => observed.has(seriesKey(run.runId, gate.key)))
    const notRun = gated.length === 0 ? await whatRan.notRun(gate.key) : undefined
    const stopped = notRun?.runs ?? (await whatRan.stoppedRunsOf(gate.key))
    const unjudged = (
      runName: string | undefined,
      runId: string | undefined,
      reason: string,
    ): GateResult => ({
      key: gate.key,
      expression,
      runId,
      runName,
      observed: undefined,
      expected: undefined,
      baselineSessionId: undefined,
      verdict: 'not run',
      passed: !strict,
      message: `${reason}; ${strict ? 'fails (strict)' : 'not judged'}`,
      statistics: undefined,
    })
    for (const run of stopped) results.push(unjudged(run.name, run.runId, stoppedReason([run])))
    if (notRun !== undefined && notRun.runs.length === 0)
      results.push(unjudged(undefined, undefined, notRun.reason))
    if (notRun !== undefined) continue
    if (gated.length === 0) {
      recordedKeys ??= keysOfSession(database, sessionId)
      const guess = closestWord(gate.key, await recordedKeys, 3)
      results.push({
        key: gate.key,
        expression,
        runId: undefined,
        runName: undefined,
        observed: undefined,
        expected: undefined,
        baselineSessionId: undefined,
        verdict: 'no data',
        passed: false,
        message:
          `no run of this session recorded "${gate.key}"` +
          (guess === undefined ? '' : `; did you mean "${guess}"?`),
        statistics: undefined,
      })
      continue
    }
    for (const run of gated) {
      const context = {
        database,
        finder,
        strict,
        run,
        gate,
        expression,
        thresholds,
        series: observed.get(seriesKey(run.runId, gate.key)) as SeriesAggregates,
      }
      results.push(
        gate.expression.kind === 'no regression'
          ? await evaluateNoRegression(context, gate.expression)
          : await evaluateComparison(context, gate.expression),
      )
    }
  }
  return results
}

/** True when every result lets the session pass; `undefined` when there are no results. */
export function gatesPassed(results: readonly GateResult[]): boolean | undefined {
  return results.length === 0 ? undefined : results.every((result) => result.passed)
}

/** Every gate's expression text, per key (which way a key improves is read from them). */
function thresholdsByKey(gates: readonly GateDefinition[]): Record<string, string[]> {
  const record: Record<string, string[]> = {}
  for (const gate of gates) record[gate.key] = [...(record[gate.key] ?? []), gate.source]
  return record
}

async function keysOfSession(database: Database, sessionId: string): Promise<string[]> {
  const rows = await database.query<{ name: string }>(
    `SELECT DISTINCT m.name FROM run_metrics m JOIN runs r USING (run_id)
     WHERE r.session_id = ? ORDER BY m.name`,
    [sessionId],
  )
  return rows.map((row) => row.name)
}
