/** `strikes query "<sql>" [--json | --csv]`: runs SQL on a read-only connection and prints the result. */
import { resolve } from 'node:path'
import { openLake } from '../../lake/lake-database.js'
import type { Database } from '../../store/database.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'
import { DEFAULT_TABLE_ROWS, printQueryResult } from '../query-result.js'

/** The `query` command. */
export const queryCommand: Command = {
  name: 'query',
  summary: 'run SQL on the database (read-only) and print the result',
  help: `Usage: strikes query "<sql>" [--json | --csv] [--max-rows N] [--db <file> | --lake <dir>]

Runs one SQL query on a read-only connection to the strikes database and prints the
result as an aligned table (default: the first 1,000 rows, and how many more there are;
long cells cut), JSON (an array of row objects) or CSV (every row, streamed). Control
characters in stored text are printed as escapes (\\x1b, \\r, …).
Tables: sessions, runs, spans, metrics, run_metrics, objects, task_io, gates;
views: latest_runs, metric_summary, metric_points, metric_inputs, metric_stats.

Options:
  --json         print a JSON array of row objects
  --csv          print CSV with a header line
  --max-rows N   rows the table shows (default 1000)
  --db <file>    the database (default .strikes/strikes.duckdb)
  --lake <dir>   query a Parquet lake (strikes export --parquet <dir>) instead: the same
                 tables and views, over every session exported to it
  -h, --help     show this help

Example:
  strikes query "SELECT name, avg FROM metric_summary JOIN latest_runs USING (run_id)"`,
  async run(args, io) {
    // SQL may start with a `--` comment: an argument that starts with '-' but holds whitespace is SQL, not an option.
    const sqlLike = args.filter(isSqlStartingWithDash)
    const { values, positionals } = parseCommandArgs(
      'query',
      [...args.filter((arg) => !isSqlStartingWithDash(arg)), '--', ...sqlLike],
      {
        json: { type: 'boolean' },
        csv: { type: 'boolean' },
        'max-rows': { type: 'string' },
        lake: { type: 'string' },
      },
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
    if (values.lake !== undefined && values.db !== undefined)
      throw new UsageError('query: choose one of --db and --lake')
    const maxRows = values['max-rows'] === undefined ? DEFAULT_TABLE_ROWS : Number(values['max-rows'])
    if (!Number.isInteger(maxRows) || maxRows < 0) {
      throw new UsageError(`query: --max-rows must be a whole number >= 0, got "${values['max-rows']}"`)
    }
    const format = values.json === true ? 'json' : values.csv === true ? 'csv' : 'table'
    // Both connections have external access off and their configuration locked (see
    // reporter/store/trust.ts): the database is read-only, and the lake's in-memory database may read
    // only the lake's folder; the query cannot read or write other files or load extensions.
    await (values.lake === undefined ? withCliDatabase : withLake)(
      values.lake ?? values.db,
      io.cwd,
      async (database) => {
        await printQueryResult(await database.connection.stream(sql), format, (text) => io.out(text), maxRows)
      },
    )
    return EXIT_OK
  },
}

/** Runs `body` with the lake at `dir` opened as a database (external access off but for the lake). */
async function withLake<T>(
  dir: string | undefined,
  cwd: string,
  body: (database: Database) => Promise<T>,
): Promise<T> {
  const database = await openLake(resolve(cwd, dir ?? '.'))
  try {
    return await body(database)
  } finally {
    database.close()
  }
}

function isSqlStartingWithDash(arg: string): boolean {
  return arg.startsWith('-') && /\s/.test(arg) && !/^--[a-z-]+=/.test(arg)
}
