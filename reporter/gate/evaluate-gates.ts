/**
 * Evaluating gates over one session: every gate is checked on every run of the session that ran and
 * recorded its key (the run-level series' raw values, aggregated in DuckDB); a key no run recorded fails
 * as "no data" — unless its file did not run (a partial session, a cancelled or skipped file), which makes
 * it "not run" (see `what-ran.ts`); a regression gate without a baseline says so and passes unless
 * `strict`, and so does a gate that did not run.
 */
import type { Database } from '../store/database.js'
import { BaselineFinder, type GatedRun, shortId } from './baseline.js'
import { closestWord } from './closest-word.js'
import { evaluateThreshold, expectedValue } from './evaluate-threshold.js'
import { printThreshold } from './expression-printer.js'
import type { GateDefinition } from './gate-definition.js'
import { formatComparedNumbers } from './gate-numbers.js'
import { loadSeriesAggregates, seriesIndex, seriesKey } from './series-aggregates.js'
import { stoppedReason, WhatRan } from './what-ran.js'

/**
 * A gate's verdict on one run (or on the session, for `no data` and a `not run` of a file that did not
 * run): `not run` when the key's file did not run in this session (neutral unless `strict`).
 */
export type GateVerdict = 'pass' | 'fail' | 'no data' | 'no baseline' | 'not run'

/** One evaluated gate. */
export interface GateResult {
  readonly key: string
  /** The expression in canonical form. */
  readonly expression: string
  /** The run evaluated; absent for `no data` (no run recorded the key). */
  readonly runId: string | undefined
  readonly runName: string | undefined
  /** The aggregate of this run's series. */
  readonly observed: number | undefined
  /** The value compared against (derived from the baseline for regression gates). */
  readonly expected: number | undefined
  readonly baselineSessionId: string | undefined
  readonly verdict: GateVerdict
  /** Whether this result lets the session pass (`no baseline` passes unless `strict`). */
  readonly passed: boolean
  /** A sentence saying why. */
  readonly message: string
}

/** What to evaluate. */
export interface EvaluateGatesOptions {
  readonly sessionId: string
  readonly gates: readonly GateDefinition[]
  /** Baseline session reference (`latest`, id, id prefix, git sha); default: each file's previous run. */
  readonly baseline?: string | undefined
  /** A regression gate without a baseline fails, and so does a gate whose file did not run. */
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
      })
      continue
    }
    for (const run of gated) {
      const value = observed.get(seriesKey(run.runId, gate.key))?.[gate.expression.aggregate] as number
      const base = { key: gate.key, expression, runId: run.runId, runName: run.name, observed: value }
      const { aggregate, comparator, target } = gate.expression
      if (target.kind === 'number') {
        const holds = evaluateThreshold(value, comparator, target.value)
        results.push({
          ...base,
          expected: target.value,
          baselineSessionId: undefined,
          verdict: holds ? 'pass' : 'fail',
          passed: holds,
          message: comparison(aggregate, value, holds, comparator, target.value),
        })
        continue
      }
      const lookup = await finder.find(run, gate.key)
      const baselineValue = lookup.found
        ? (await loadSeriesAggregates(database, [lookup.runId], [gate.key]))[0]?.aggregates[aggregate]
        : undefined
      if (!lookup.found || baselineValue === undefined) {
        const reason = lookup.found
          ? `the baseline run (session ${shortId(lookup.sessionId)}) recorded no ${gate.key}`
          : lookup.reason
        results.push({
          ...base,
          expected: undefined,
          baselineSessionId: lookup.found ? lookup.sessionId : undefined,
          verdict: 'no baseline',
          passed: !strict,
          message: `${reason}; ${strict ? 'fails (strict)' : 'passes until a baseline exists'}`,
        })
        continue
      }
      const expected = expectedValue(target, baselineValue)
      const holds = evaluateThreshold(value, comparator, expected)
      results.push({
        ...base,
        expected,
        baselineSessionId: lookup.sessionId,
        verdict: holds ? 'pass' : 'fail',
        passed: holds,
        message:
          `${comparison(aggregate, value, holds, comparator, expected)} ` +
          `(baseline ${formatComparedNumbers(baselineValue, baselineValue)[0]} from session ${shortId(lookup.sessionId)})`,
      })
    }
  }
  return results
}

/** True when every result lets the session pass; `undefined` when there are no results. */
export function gatesPassed(results: readonly GateResult[]): boolean | undefined {
  return results.length === 0 ? undefined : results.every((result) => result.passed)
}

function comparison(
  aggregate: string,
  observed: number,
  holds: boolean,
  comparator: string,
  expected: number,
): string {
  const [left, right] = formatComparedNumbers(observed, expected)
  return `${aggregate} ${left} ${holds ? 'is' : 'is not'} ${comparator} ${right}`
}

async function keysOfSession(database: Database, sessionId: string): Promise<string[]> {
  const rows = await database.query<{ name: string }>(
    `SELECT DISTINCT m.name FROM run_metrics m JOIN runs r USING (run_id) WHERE r.session_id = ? ORDER BY m.name`,
    [sessionId],
  )
  return rows.map((row) => row.name)
}
