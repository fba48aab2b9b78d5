/**
 * `strikes export --parquet <dir>`: appends the database's sessions to a Parquet lake, hive-partitioned
 * by table and session (see `reporter/lake/lake-export.ts`); `--snapshot <dir>` writes the whole database
 * with DuckDB's `EXPORT DATABASE` instead (one Parquet file per table, with schema.sql and load.sql).
 */
import { readdirSync, realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { makeFolder } from '../../../src/shared/make-folder.js'
import { exportLake } from '../../lake/lake-export.js'
import { terminalText } from '../../terminal-text.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'

/** The `export` command. */
export const exportCommand: Command = {
  name: 'export',
  summary: 'append sessions to a Parquet lake (or snapshot every table as Parquet)',
  help: `Usage: strikes export --parquet <dir> [--db <file>]
       strikes export --snapshot <dir> [--db <file>]

--parquet appends every ended session of the database to a Parquet lake in <dir>:
<dir>/<table>/session=<id>/part-0.parquet (hive-partitioned by session). Sessions already
in the lake are left as they are, so many machines can export into one folder (or bucket)
over time without rewriting earlier files. Query it with strikes query --lake <dir>, or
from DuckDB: SELECT * FROM read_parquet('<dir>/runs/*/*.parquet', hive_partitioning = true).

--snapshot writes the whole database with DuckDB's EXPORT DATABASE: one Parquet file per
table, plus schema.sql and load.sql to re-create it (IMPORT DATABASE '<dir>'); files of the
same name in <dir> are overwritten.

Options:
  --parquet <dir>   the lake to append to (created when missing)
  --snapshot <dir>  the directory to write a snapshot of every table to
  --db <file>       the database (default .strikes/strikes.duckdb)
  -h, --help        show this help`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('export', args, {
      parquet: { type: 'string' },
      snapshot: { type: 'string' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length > 0) throw new UsageError(`export: unexpected argument "${positionals[0]}"`)
    if (values.parquet !== undefined && values.snapshot !== undefined)
      throw new UsageError('export: choose one of --parquet and --snapshot')
    const target = values.parquet ?? values.snapshot
    if (target === undefined || target.trim() === '') {
      throw new UsageError('export: give the lake directory with --parquet <dir> (or --snapshot <dir>)')
    }
    const dir = resolve(io.cwd, target)
    makeFolder(dir, 'the export folder')
    // DuckDB may write into this folder only (by its real path: it refuses links out of it), nowhere else.
    const real = realpathSync(dir)
    const shown = terminalText(dir)
    if (values.snapshot !== undefined) {
      await withCliDatabase(
        values.db,
        io.cwd,
        (database) => database.run(`EXPORT DATABASE '${real.replaceAll("'", "''")}' (FORMAT PARQUET)`),
        { allowedDirectories: [real] },
      )
      const files = readdirSync(dir).filter((name) => name.endsWith('.parquet'))
      io.out(`exported ${files.length} table${files.length === 1 ? '' : 's'} to ${shown}`)
      return EXIT_OK
    }
    const lake = await withCliDatabase(values.db, io.cwd, (database) => exportLake(database, real), {
      allowedDirectories: [real],
    })
    const count = (n: number): string => `${n} session${n === 1 ? '' : 's'}`
    io.out(
      `exported ${count(lake.written.length)} to the lake ${shown} ` +
        `(${count(lake.present.length)} already there)`,
    )
    if (lake.running.length > 0) io.out(`left out ${count(lake.running.length)} still running`)
    if (lake.unsafe.length > 0)
      io.out(`left out ${count(lake.unsafe.length)} whose id cannot name a folder (not made by strikes?)`)
    return EXIT_OK
  },
}
