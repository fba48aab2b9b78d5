/**
 * The `strikes` command line: finds the command, runs it, and turns every error into one line on
 * stderr with exit code 2 (a failed gate is exit code 1, and is not an error).
 */
import { strikesVersion } from '../package-info.js'
import { terminalText } from '../terminal-text.js'
import { type CliIO, type Command, EXIT_ERROR, EXIT_OK, UsageError } from './command.js'
import { compareCommand } from './commands/compare.js'
import { exportCommand } from './commands/export.js'
import { gateCommand } from './commands/gate.js'
import { mergeCommand } from './commands/merge.js'
import { queryCommand } from './commands/query.js'
import { reportCommand } from './commands/report.js'
import { runsCommand } from './commands/runs.js'
import { uiCommand } from './commands/ui.js'

/** Every command, in the order `--help` lists them. */
export const COMMANDS: readonly Command[] = [
  queryCommand,
  runsCommand,
  gateCommand,
  compareCommand,
  reportCommand,
  exportCommand,
  mergeCommand,
  uiCommand,
]

/** Where the CLI writes: results to `out`, the error line to `err`. */
export interface CliStreams extends CliIO {
  err(text: string): void
}

/** The top-level `--help` text. */
export function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length))
  return `Usage: strikes <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n')}

Every command takes --db <file> (default .strikes/strikes.duckdb in the working directory)
and opens it read-only, but merge, which writes into it. Run strikes <command> --help for its options.
Exit codes: 0 success, 1 a gate failed, 2 usage, expression or database error.`
}

/** Runs the CLI with `argv` (without `node` and the script) and resolves to the exit code. */
export async function runCli(argv: readonly string[], streams: CliStreams): Promise<number> {
  const [first, ...rest] = argv
  try {
    if (first === undefined) throw new UsageError('missing command')
    if (first === '--help' || first === '-h' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined
      const command = topic === undefined ? undefined : findCommand(topic)
      streams.out(command?.help ?? mainHelp())
      return EXIT_OK
    }
    if (first === '--version' || first === '-v') {
      streams.out(strikesVersion())
      return EXIT_OK
    }
    if (first.startsWith('-')) throw new UsageError(`put the command first (strikes <command> ${first} …)`)
    return await findCommand(first).run(rest, streams)
  } catch (error) {
    streams.err(errorLine(error, first))
    return EXIT_ERROR
  }
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((candidate) => candidate.name === name)
  if (command === undefined) {
    throw new UsageError(
      `unknown command "${name}"; expected one of ${COMMANDS.map((c) => c.name).join(', ')}`,
    )
  }
  return command
}

/** One line: `strikes: <what went wrong>`, with a pointer to the help for usage errors. */
function errorLine(error: unknown, command: string | undefined): string {
  const message = error instanceof Error ? error.message : String(error)
  // DuckDB's messages continue with the query and a caret on further lines; the first line says what is wrong.
  const first = message.split('\n').find((line) => line.trim() !== '') ?? 'unknown error'
  // Messages may quote stored text (a session id, a value DuckDB could not convert): never raw to a terminal.
  const text = terminalText(first.replace(/^strikes: /, ''), { maxChars: 2000 })
  if (!(error instanceof UsageError)) return `strikes: ${text}`
  const known = COMMANDS.some((candidate) => candidate.name === command)
  return `strikes: ${text} (see strikes ${known ? `${command} ` : ''}--help)`
}
