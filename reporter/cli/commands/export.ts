/** `strikes export --parquet <dir>`: writes every table of the database as Parquet files (DuckDB `EXPORT DATABASE`). */
import { readdirSync, realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { makeFolder } from '../../../src/shared/make-folder.js'
import { terminalText } from '../../terminal-text.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'

/** The `export` command. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'export every table as Parquet files',
  help: `Usage: strikes export --parquet <dir> [--db <file>]

Exports the database with DuckDB's EXPORT DATABASE: one Parquet file per table, plus
schema.sql and load.sql to re-create it (IMPORT DATABASE '<dir>' in any DuckDB client).
The directory is created when missing; files of the same name in it are overwritten.

Options:
  --parquet <dir>  the directory to write
  --db <file>      the database (default .strikes/strikes.duckdb)
  -h, --help       show this help`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('export', args, { parquet: { type: 'string' } })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length > 0) throw new UsageError(`export: unexpected argument "${positionals[0]}"`)
    if (values.parquet === undefined || values.parquet.trim() === '') {
      throw new UsageError('export: give the output directory with --parquet <dir>')
    }
    const dir = resolve(io.cwd, values.parquet)
    makeFolder(dir, 'the export folder')
    // DuckDB may write into this folder only (its real path), and nowhere else.
    const real = realpathSync(dir)
    await withCliDatabase(
      values.db,
      io.cwd,
      (database) => database.run(`EXPORT DATABASE '${real.replaceAll("'", "''")}' (FORMAT PARQUET)`),
      { allowedDirectories: [real] },
    )
    const files = readdirSync(dir).filter((name) => name.endsWith('.parquet'))
    io.out(`exported ${files.length} table${files.length === 1 ? '' : 's'} to ${terminalText(dir)}`)
    return EXIT_OK
  },
}
