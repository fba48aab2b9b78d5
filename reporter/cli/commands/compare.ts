/** `strikes compare <baseline> <candidate>`: is the change between two sessions real? Per run and key, paired per input. */
import { terminalJson, terminalText } from '../../terminal-text.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'
import { resolveCliSession } from '../resolve-cli-session.js'
import { compareSessions, formatComparison, writeComparisonJson } from '../session-comparison.js'

const DEFAULT_TOP = 10
const DEFAULT_LIMIT = 100

/** The `compare` command. */
export const compareCommand: Command = {
  name: 'compare',
  summary: 'compare two sessions per run, key and input: difference, interval, p, verdict',
  help: `Usage: strikes compare <baseline> <candidate> [--top N] [--limit N] [--lower-is-better <key>]... [--json]

Compares two sessions run by run (matched by project and run name) and key by key. Inputs
are matched by input_key; each input's trials are averaged first. Per key: both means, the
mean difference (candidate − baseline) with its 95% interval, the two-sided p-value of a
paired t-test (exact McNemar for 0/1 scores with one trial), p adjusted by Holm's method
across all keys, the minimum detectable effect MDE = (z.95 + z.8) · SE, and a verdict:
regressed / improved when the whole interval lies on one side of zero (and the adjusted
p < 0.05), no_change otherwise, insufficient_data below 2 paired inputs. When either side
has no input keys (older data), pairing is impossible: unpaired Welch statistics, labelled.
Then the inputs that changed most, worst first, with both outputs side by side.
Higher is better, except for cost and latency keys (…tokens, cost…, …latency…, …_ms).
Sessions: latest, a session id or unique prefix, or a git sha.

Options:
  --top <N>                  changed inputs listed per key (default ${DEFAULT_TOP}; 0 for none)
  --limit <N>                keys the table shows at most, regressed and improved first
                             (default ${DEFAULT_LIMIT}; the rest are counted; --json lists all)
  --lower-is-better <key>    a key for which a decrease is an improvement (repeatable)
  --higher-is-better <key>   a key for which an increase is an improvement (repeatable)
  --json                     print { baseline, candidate, keys[], inputs[] } as JSON
  --db <file>                the database (default .strikes/strikes.duckdb)
  -h, --help                 show this help

Example:
  strikes compare 1f3c9a2b latest --top 5`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('compare', args, {
      top: { type: 'string' },
      limit: { type: 'string' },
      agg: { type: 'string' },
      'lower-is-better': { type: 'string', multiple: true },
      'higher-is-better': { type: 'string', multiple: true },
      json: { type: 'boolean' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (values.agg !== undefined) {
      throw new UsageError(
        'compare: --agg is gone: compare now tests the mean over inputs, paired per input; ' +
          'use strikes gate for other aggregates (e.g. "key: p95 <= baseline * 1.1")',
      )
    }
    if (positionals.length !== 2) {
      throw new UsageError(`compare: takes two sessions (baseline, candidate), got ${positionals.length}`)
    }
    const top = parseCount('--top', values.top, DEFAULT_TOP, 0)
    const limit = parseCount('--limit', values.limit, DEFAULT_LIMIT, 1)
    const [refA, refB] = positionals as [string, string]
    const comparison = await withCliDatabase(values.db, io.cwd, async (database) => {
      const baseline = await resolveCliSession(database, refA)
      const candidate = await resolveCliSession(database, refB)
      return compareSessions(database, baseline, candidate, {
        lowerIsBetter: new Set(values['lower-is-better'] ?? []),
        higherIsBetter: new Set(values['higher-is-better'] ?? []),
        topInputs: top,
      })
    })
    if (values.json === true) {
      writeComparisonJson(comparison, (text) => io.out(terminalJson(text)))
      return EXIT_OK
    }
    const width = process.stdout.isTTY === true ? (process.stdout.columns ?? 120) : 120
    // Stored names and outputs may hold control characters: printed as visible escapes.
    io.out(
      terminalText(formatComparison(comparison, { width, topInputs: top, limit }).join('\n'), {
        keepLineBreaks: true,
      }),
    )
    return EXIT_OK
  },
}

function parseCount(option: string, text: string | undefined, fallback: number, least: number): number {
  if (text === undefined) return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < least || value > 10_000) {
    throw new UsageError(`compare: ${option} takes a whole number from ${least} to 10000, got "${text}"`)
  }
  return value
}
