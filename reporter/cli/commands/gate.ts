/**
 * `strikes gate "<key>: <expr>"... [--session …] [--baseline …] [--strict]`: evaluates threshold and
 * regression gates over a recorded session (without writing to the database). Exit 0 when every gate
 * passes, 1 when one fails, 2 on a usage or expression error.
 */
import { evaluateGates, type GateResult, gatesPassed } from '../../gate/evaluate-gates.js'
import {
  type GateDefinition,
  parseGate,
  parseGateArgument,
  parseGateDefinitions,
} from '../../gate/gate-definition.js'
import { formatGateTable } from '../../gate/gate-table.js'
import { storedGateConfig } from '../../gate/session-gates.js'
import type { Database } from '../../store/database.js'
import { terminalJson, terminalText } from '../../terminal-text.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_GATE_FAILED, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'
import { resolveCliSession } from '../resolve-cli-session.js'

/** The `gate` command. */
export const gateCommand: Command = {
  name: 'gate',
  summary: 'check thresholds and regressions on a recorded session (exit 1 when one fails)',
  help: `Usage: strikes gate "<key>: <expression>"... [options]
       strikes gate --key <key> "<expression>"... [options]
       strikes gate [options]   (the thresholds stored with the session)

Evaluates gates on the run-level series of a recorded session, per run, and prints a table
(key, gate, run, observed, expected, verdict, detail). Nothing is written to the database.
Exit code: 0 every gate passed, 1 a gate failed, 2 usage, expression or database error.

Expression: <aggregate> <op> <target>   or   no regression [beyond <margin>]
  aggregate  avg mean min max sum count p50 p90 p95 p99 pass_rate
             (over the raw values; pass_rate = share of points that are not 0)
             ci_low ci_high (the 95% interval of the mean over inputs)
             pass_at(k) pass_all(k) (0/1 scores with k or more trials per input)
  op         >= > <= < ==
  target     a number, or baseline [+|-|* number]: the same aggregate in the baseline run
  no regression          fails only when a one-sided paired test at 5% says the run is
                         worse than its baseline (inputs paired by input key)
  no regression beyond m fails only when it is significantly worse by more than m

Without expressions, the thresholds the session was recorded with (each project's
\`thresholds\`, \`baseline\` and \`strict\` options, stored with it — also in a merged session) are
evaluated, so a CI step needs no vitest config.

A key no run of the session recorded fails as "no data". A regression gate with no baseline
yet, or too few paired inputs to test, passes (and says so) unless --strict.

Options:
  --key <key>         the key of every positional expression
  --session <ref>     the session to check: latest (default), a session id or unique prefix,
                      or a git sha
  --baseline <ref>    compare baseline gates with this session: latest (the newest session
                      before the checked one), a session id or prefix, or a git sha;
                      default: each file's previous run that recorded the key
  --strict            a regression gate without a baseline fails
  --json              print the results as JSON
  --db <file>         the database (default .strikes/strikes.duckdb)
  -h, --help          show this help

Examples:
  strikes gate "summarize.quality: avg >= 0.8" "summarize.quality: avg >= baseline - 0.05"
  strikes gate --key summarize.latency_ms "p95 <= 2000" --baseline main-sha --strict`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('gate', args, {
      key: { type: 'string' },
      session: { type: 'string' },
      baseline: { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'boolean' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length === 0 && (values.key !== undefined || values.baseline !== undefined)) {
      throw new UsageError('gate: give at least one gate, e.g. strikes gate "summarize.quality: avg >= 0.8"')
    }
    if (values.key !== undefined && values.key.trim() === '') throw new UsageError('gate: --key is empty')
    const key = values.key?.trim()
    let gates: GateDefinition[]
    try {
      gates = positionals.map((argument) =>
        key === undefined ? parseGateArgument(argument) : parseGate(key, argument.trim()),
      )
    } catch (error) {
      throw new UsageError(`gate: ${(error as Error).message}`)
    }
    const { results, sessionId } = await withCliDatabase(values.db, io.cwd, async (database) => {
      const sessionId = await resolveCliSession(database, values.session ?? 'latest')
      if (positionals.length === 0)
        return { results: await evaluateStoredGates(database, sessionId), sessionId }
      const results = await evaluateGates(database, {
        sessionId,
        gates,
        baseline: values.baseline,
        strict: values.strict === true,
      })
      return { results, sessionId }
    })
    if (positionals.length === 0 && results.length === 0) {
      throw new UsageError(
        `gate: session ${sessionId} stored no thresholds; give gates, e.g. strikes gate "summarize.quality: avg >= 0.8"`,
      )
    }
    const passed = gatesPassed(results) !== false
    if (values.json === true) io.out(terminalJson(JSON.stringify({ sessionId, passed, results }, null, 2)))
    else io.out([`session ${terminalText(sessionId)}`, ...formatGateTable(results)].join('\n'))
    return passed ? EXIT_OK : EXIT_GATE_FAILED
  },
}

/** The session's stored thresholds (each project's), evaluated as the reporter did, without writing. */
async function evaluateStoredGates(database: Database, sessionId: string): Promise<GateResult[]> {
  const results: GateResult[] = []
  for (const config of await storedGateConfig(database, sessionId)) {
    const gates = parseGateDefinitions(config.thresholds)
    if (gates.length === 0) continue
    results.push(
      ...(await evaluateGates(database, {
        sessionId,
        gates,
        baseline: config.baseline ?? undefined,
        strict: config.strict,
        project: config.project,
      })),
    )
  }
  return results
}
