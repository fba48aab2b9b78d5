/**
 * `strikes ui [--db <file>] [--port <n>] [--host <addr>] [--open]`: serves a local, read-only web UI over the
 * database — sessions and trends, runs, tasks (filter, sort, search), task span trees, comparisons — and
 * keeps serving until interrupted (Ctrl-C), seeing new sessions as `vitest` writes them.
 */
import { resolve } from 'node:path'
import { DEFAULT_DB_PATH } from '../../store/defaults.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'

/** The `ui` command. */
export const uiCommand: Command = {
  name: 'ui',
  summary: 'browse, filter and compare results in a local web UI',
  help: `Usage: strikes ui [--db <file>] [--port <n>] [--host <addr>] [--open]

Starts a local web server over the database (read-only) and prints its address: sessions
with a trend chart, each session's runs, gates and metric summaries, every task with
filters, sorting and text search, each task's span tree, and two sessions compared input
by input. Pages update when a running vitest lands a new session. Stop it with Ctrl-C.

Options:
  --db <file>      the database (default .strikes/strikes.duckdb)
  --port <n>       the port (default 4280; 0, or a port in use: any free port)
  --host <addr>    the address to serve on (default 127.0.0.1, this machine only)
  --open           open the address in the default browser
  -h, --help       show this help`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('ui', args, {
      port: { type: 'string' },
      host: { type: 'string' },
      open: { type: 'boolean' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length > 0) throw new UsageError(`ui: unexpected argument "${positionals[0]}"`)
    const port = values.port === undefined ? undefined : Number(values.port)
    if (
      port !== undefined &&
      (!Number.isInteger(port) || port < 0 || port > 65535 || values.port?.trim() === '')
    ) {
      throw new UsageError(`ui: --port must be a whole number from 0 to 65535, got "${values.port}"`)
    }
    const host = values.host?.trim()
    if (host === '') throw new UsageError('ui: --host is empty')
    const dbPath = resolve(io.cwd, values.db ?? DEFAULT_DB_PATH)
    // Loaded here so the other commands do not load the server.
    const { startUiServer } = await import('../../ui/server/ui-server.js')
    const { isLoopback } = await import('../../ui/server/request-guard.js')
    const server = await startUiServer({
      dbPath,
      ...(host === undefined ? {} : { host }),
      ...(port === undefined ? {} : { port }),
      log: (line) => process.stderr.write(`${line}\n`),
    })
    if (server.portChanged)
      io.out(`strikes ui: port ${port ?? 4280} is in use; serving on ${server.port} instead`)
    if (!isLoopback(server.host)) {
      io.out(
        `strikes ui: serving on ${server.host}: anyone who can reach this machine on port ${server.port} can read these results`,
      )
    }
    io.out(`strikes ui: reading ${dbPath} (read-only)`)
    io.out(`strikes ui: ${server.url}`)
    if (values.open === true) {
      const { openInBrowser } = await import('../../ui/server/open-browser.js')
      const problem = await openInBrowser(server.url)
      if (problem !== undefined) io.out(`strikes ui: ${problem}`)
    }
    await new Promise<void>((resolveStop) => {
      const stop = () => {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
        void server.close().then(resolveStop, resolveStop)
      }
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
    })
    return EXIT_OK
  },
}
