/** `strikes compare <sessionA> <sessionB>`: per run-level key, the change from A to B, regressions first. */
import { formatComparedNumbers, formatGateNumber } from '../../gate/gate-numbers.js'
import { AGGREGATES, isAggregate } from '../../gate/threshold-expression.js'
import { cutText, DISPLAY_NAME_CHARS, terminalJson, terminalText } from '../../terminal-text.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'
import { resolveCliSession } from '../resolve-cli-session.js'
import { compareSessions, streamComparison } from '../session-comparison.js'
import { formatTable } from '../text-table.js'

/** Rows the table shows by default (regressions first; the rest are counted). */
const DEFAULT_ROWS = 100

/** The `compare` command. */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two sessions key by key, regressions first',
  help: `Usage: strikes compare <sessionA> <sessionB> [--agg avg] [--lower-is-better <key>]... [--json]

Compares two sessions: for every run-level key of every run (matched by run name and key),
the aggregate in A (the baseline) and in B (the candidate), the change, and a status:
regressed, improved, unchanged, only in A, only in B. Regressions are listed first, the
largest relative change first. Higher values are better unless a key is lower-is-better.
Sessions: latest, a session id or unique prefix, or a git sha.

Options:
  --agg <aggregate>          avg (default), mean, min, max, sum, count, p50, p90, p95, p99, pass_rate
  --lower-is-better <key>    a key for which a decrease is an improvement (repeatable)
  --limit N                  rows the table shows (default 100; the rest are counted)
  --json                     print every row as JSON
  --db <file>                the database (default .strikes/strikes.duckdb)
  -h, --help                 show this help

Example:
  strikes compare 1f3c9a2b latest --lower-is-better summarize.latency_ms`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('compare', args, {
      agg: { type: 'string' },
      'lower-is-better': { type: 'string', multiple: true },
      json: { type: 'boolean' },
      limit: { type: 'string' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length !== 2) {
      throw new UsageError(`compare: takes two sessions (baseline, candidate), got ${positionals.length}`)
    }
    const aggregate = values.agg ?? 'avg'
    if (!isAggregate(aggregate)) {
      throw new UsageError(
        `compare: unknown aggregate "${aggregate}" for --agg; expected one of ${AGGREGATES.join(', ')}`,
      )
    }
    const [refA, refB] = positionals as [string, string]
    const limit = values.limit === undefined ? DEFAULT_ROWS : Number(values.limit)
    if (!Number.isInteger(limit) || limit < 1) {
      throw new UsageError(`compare: --limit must be a positive whole number, got "${values.limit}"`)
    }
    const options = { aggregate, lowerIsBetter: new Set(values['lower-is-better'] ?? []) }
    const lines = await withCliDatabase(values.db, io.cwd, async (database) => {
      const a = await resolveCliSession(database, refA)
      const b = await resolveCliSession(database, refB)
      if (values.json === true) {
        // Every row, streamed: the same document JSON.stringify(…, null, 2) would give, without holding it.
        io.out(
          `{\n  "a": ${JSON.stringify(a)},\n  "b": ${JSON.stringify(b)},\n  "aggregate": "${aggregate}",\n  "rows": [`,
        )
        let pending: string | undefined
        await streamComparison(database, a, b, options, (rows) => {
          if (pending !== undefined) io.out(`${pending},`)
          pending = rows.map((row) => terminalJson(indent(JSON.stringify(row, null, 2), '    '))).join(',\n')
        })
        if (pending !== undefined) io.out(pending)
        io.out('  ]\n}')
        return undefined
      }
      const counts = await compareSessions(database, a, b, { ...options, limit })
      const rows = counts.rows
      const lines = [
        `A ${terminalText(a)}`,
        `B ${terminalText(b)}`,
        `${aggregate} per run and key: ${counts.regressed} regressed · ${counts.improved} improved · ${counts.total} keys`,
      ]
      if (rows.length === 0) lines.push('neither session recorded run-level metrics')
      else {
        lines.push(
          ...formatTable(
            ['run', 'key', 'A', 'B', 'delta', 'change', 'status'],
            rows.map((row) => {
              const [textA, textB] = formatComparedNumbers(row.a, row.b)
              return [
                cutText(row.run, DISPLAY_NAME_CHARS),
                cutText(row.key, DISPLAY_NAME_CHARS),
                textA,
                textB,
                row.delta === undefined ? '—' : `${row.delta > 0 ? '+' : ''}${formatGateNumber(row.delta)}`,
                row.relative === undefined
                  ? '—'
                  : `${row.relative > 0 ? '+' : ''}${(row.relative * 100).toFixed(1)}%`,
                row.status,
              ]
            }),
            { align: ['left', 'left', 'right', 'right', 'right', 'right', 'left'] },
          ),
        )
        if (counts.total > rows.length) {
          lines.push(
            `… and ${(counts.total - rows.length).toLocaleString('en-US')} more keys (raise --limit, or use --json for all)`,
          )
        }
      }
      return lines
    })
    if (lines !== undefined) io.out(lines.join('\n'))
    return EXIT_OK
  },
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n')
}
