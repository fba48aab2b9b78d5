/** `strikes query "<sql>" [--json | --csv]`: runs SQL on a read-only connection and prints the result. */
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'
import { formatResultCsv, formatResultJson, formatResultTable, readQueryResult } from '../query-result.js'

/** The `query` command. */
export const queryCommand: Command = {
  name: 'query',
  summary: 'run SQL on the database (read-only) and print the result',
  help: `Usage: strikes query "<sql>" [--json | --csv] [--db <file>]

Runs one SQL query on a read-only connection to the strikes database and prints the
result as an aligned table (default), JSON (an array of row objects) or CSV.
Tables: sessions, runs, spans, metrics, run_metrics, objects, task_io, gates;
views: latest_runs, metric_summary, metric_points, metric_inputs, metric_stats.

Options:
  --json         print a JSON array of row objects
  --csv          print CSV with a header line
  --db <file>    the database (default .strikes/strikes.duckdb)
  -h, --help     show this help

Example:
  strikes query "SELECT name, avg FROM metric_summary JOIN latest_runs USING (run_id)"`,
  async run(args, io) {
    // SQL may start with a `--` comment: an argument that starts with '-' but holds whitespace is SQL, not an option.
    const sqlLike = args.filter(isSqlStartingWithDash)
    const { values, positionals } = parseCommandArgs(
      'query',
      [...args.filter((arg) => !isSqlStartingWithDash(arg)), '--', ...sqlLike],
      { json: { type: 'boolean' }, csv: { type: 'boolean' } },
    )
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length === 0)
      throw new UsageError('query: missing the SQL, e.g. strikes query "SELECT * FROM runs"')
    if (positionals.length > 1) {
      throw new UsageError(`query: takes one SQL argument, got ${positionals.length}; quote the whole query`)
    }
    if (values.json === true && values.csv === true)
      throw new UsageError('query: choose one of --json and --csv')
    const sql = positionals[0] as string
    const result = await withCliDatabase(values.db, io.cwd, async (database) => {
      // Read-only protects the database file; this also keeps the query from writing other files
      // (COPY … TO), reading arbitrary ones, or installing extensions from the network.
      await database.run('SET enable_external_access = false')
      return readQueryResult(await database.connection.runAndReadAll(sql))
    })
    if (values.json === true) io.out(formatResultJson(result))
    else if (values.csv === true) io.out(formatResultCsv(result))
    else io.out(formatResultTable(result).join('\n'))
    return EXIT_OK
  },
}

function isSqlStartingWithDash(arg: string): boolean {
  return arg.startsWith('-') && /\s/.test(arg) && !/^--[a-z-]+=/.test(arg)
}
