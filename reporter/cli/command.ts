/**
 * What every `strikes` command is: a name, a help text, and a function from arguments to an exit code,
 * writing to the streams it is given. Exit codes: 0 success, 1 a gate failed, 2 usage, parse or
 * database error.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util'

/** Exit code of a successful command. */
export const EXIT_OK = 0
/** Exit code of `strikes gate` when a gate failed. */
export const EXIT_GATE_FAILED = 1
/** Exit code of a usage, parse or database error. */
export const EXIT_ERROR = 2

/** Where a command writes. */
export interface CliIO {
  /** Writes text to standard output (a newline is added). */
  out(text: string): void
  /** The working directory relative paths resolve against. */
  readonly cwd: string
}

/** A `strikes` command. */
export interface Command {
  readonly name: string
  /** One line for the command list. */
  readonly summary: string
  /** The full `--help` text. */
  readonly help: string
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], io: CliIO): Promise<number>
}

/** A wrong command line: printed as one line with a pointer to `--help`, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** The options every command takes. */
export const COMMON_OPTIONS = {
  db: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies NonNullable<ParseArgsConfig['options']>

/**
 * Parses a command's arguments with `node:util` parseArgs — strict, positionals allowed, its own options
 * beside {@link COMMON_OPTIONS} — turning parse errors into {@link UsageError}s naming the command.
 */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  args: readonly string[],
  options: O,
): ParsedCommandArgs<O> {
  try {
    return parseArgs({
      args: [...args],
      options: { ...COMMON_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error))
      .replace(/\. To specify a positional argument starting with a '-'.*$/s, '')
      .replace(/\.$/, '')
    throw new UsageError(`${command}: ${message}`)
  }
}

/** What {@link parseCommandArgs} returns: the parsed values (common and own options) and positionals. */
export type ParsedCommandArgs<O extends NonNullable<ParseArgsConfig['options']>> = ReturnType<
  typeof parseArgs<{
    args: string[]
    options: typeof COMMON_OPTIONS & O
    allowPositionals: true
    strict: true
  }>
>
