/** `strikes report [--session …] [--out file]`: renders a recorded session's HTML report from the database. */
import { dirname, join, resolve } from 'node:path'
import { DEFAULT_DB_PATH } from '../../store/defaults.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'
import { resolveCliSession } from '../resolve-cli-session.js'

/** The `report` command. */
export const reportCommand: Command = {
  name: 'report',
  summary: "write a recorded session's HTML report",
  help: `Usage: strikes report [--session <ref>] [--baseline <ref>] [--out <file>] [--db <file>]

Renders the HTML report of a recorded session from the database (read-only) and prints the
path written.

Options:
  --session <ref>  latest (default), a session id or unique prefix, or a git sha
  --baseline <ref> the session each run is compared with (default: the latest earlier
                   session that ran the same file)
  --out <file>     where to write (default report.html beside the database)
  --db <file>      the database (default .strikes/strikes.duckdb)
  -h, --help       show this help`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('report', args, {
      session: { type: 'string' },
      baseline: { type: 'string' },
      out: { type: 'string' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length > 0) {
      throw new UsageError(`report: unexpected argument "${positionals[0]}" (use --session and --out)`)
    }
    if (values.out?.trim() === '') throw new UsageError('report: --out is empty')
    const db = resolve(io.cwd, values.db ?? DEFAULT_DB_PATH)
    const sessionId = await withCliDatabase(db, io.cwd, (database) =>
      resolveCliSession(database, values.session ?? 'latest'),
    )
    const out = values.out === undefined ? join(dirname(db), 'report.html') : resolve(io.cwd, values.out)
    // Loaded here so the other commands do not load the report's templates.
    const { renderReportFile } = await import('../../report/render-report-file.js')
    const written = await renderReportFile({ db, sessionId, out, options: { baseline: values.baseline } })
    io.out(`report of session ${sessionId} written to ${written}`)
    return EXIT_OK
  },
}
