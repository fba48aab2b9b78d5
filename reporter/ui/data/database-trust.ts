/**
 * What the UI checks of a database after `openDatabase` let it in. The one trust rule is the store's
 * (`reporter/store/trust.ts`): external access off, the configuration locked, the catalog exactly what
 * strikes' migrations create for the file's version — a macro shadowing a built-in, a view reading other
 * files or a newer schema are refused there, naming what is foreign. Here: the connection is confirmed
 * locked down with memory bounded, strikes' tables present as base tables, and what the schema has is
 * reported, so the UI's queries fit older files.
 */
import type { Database } from '../../store/database.js'

/** The file is not one the UI reads: not strikes', damaged, or defining things of its own. */
export class DatabaseRefusedError extends Error {
  override name = 'DatabaseRefusedError'
}

/** What the database's schema has (older files lack later columns and tables). */
export interface SchemaFeatures {
  /** The file's schema version (`strikes_schema`). */
  readonly version: number
  /** The `gates` table (schema 2). */
  readonly gates: boolean
  /** `spans.input_key` and `spans.trial` (schema 3). */
  readonly inputKey: boolean
  /** `runs.error` (schema 3). */
  readonly runError: boolean
}

/** The tables every query of the UI reads. */
const REQUIRED_TABLES = ['sessions', 'runs', 'spans', 'metrics', 'run_metrics', 'objects', 'task_io'] as const

/**
 * Locks the connection down and checks the file; throws {@link DatabaseRefusedError} with a one-line
 * message naming the file, the problem and what to do.
 */
export async function checkUiDatabase(database: Database): Promise<SchemaFeatures> {
  await lockDown(database)
  const tables = await database.query<{ table_name: string }>(
    `SELECT table_name FROM system.main.duckdb_tables()
     WHERE database_name = system.main.current_database() AND schema_name = 'main'`,
  )
  const present = new Set(tables.map((row) => row.table_name))
  if (!present.has('strikes_schema')) {
    throw new DatabaseRefusedError(
      `strikes ui: ${database.path} is a DuckDB file but not a strikes database (it has no strikes_schema table); ` +
        'point --db at the file strikes writes (default .strikes/strikes.duckdb).',
    )
  }
  const missing = REQUIRED_TABLES.filter((table) => !present.has(table))
  if (missing.length > 0) {
    throw new DatabaseRefusedError(
      `strikes ui: ${database.path} lacks the table${missing.length === 1 ? '' : 's'} ${missing.join(', ')} ` +
        '(or holds a view in its place); it is damaged or was not written by strikes.',
    )
  }
  const [row] = await database.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM main.strikes_schema',
  )
  const version = Number(row?.version ?? 0)
  const columns = await database.query<{ table_name: string; column_name: string }>(
    `SELECT table_name, column_name FROM system.main.duckdb_columns()
     WHERE database_name = system.main.current_database() AND schema_name = 'main' AND table_name IN ('spans', 'runs')`,
  )
  const has = (table: string, column: string) =>
    columns.some((entry) => entry.table_name === table && entry.column_name === column)
  return {
    version,
    gates: present.has('gates'),
    inputKey: has('spans', 'input_key') && has('spans', 'trial'),
    runError: has('runs', 'error'),
  }
}

/** The most memory DuckDB may use for the UI (its block cache included). */
const UI_MEMORY_LIMIT = '768MB'

/**
 * Bounds memory, turns external access off and locks the configuration, unless the opener already did (then it checks that
 * external access is off: a locked configuration with it on is refused).
 */
async function lockDown(database: Database): Promise<void> {
  const [settings] = await database.query<{ external: string; locked: string }>(
    `SELECT system.main.current_setting('enable_external_access')::VARCHAR AS external,
       system.main.current_setting('lock_configuration')::VARCHAR AS locked`,
  )
  const locked = settings?.locked === 'true'
  if (!locked) {
    // A bounded cache, and nothing written beside the database: a query that needs more memory fails.
    await database.run(`SET memory_limit = '${UI_MEMORY_LIMIT}'`)
    await database.run("SET temp_directory = ''")
  }
  if (!locked && settings?.external !== 'false') await database.run('SET enable_external_access = false')
  if (!locked) await database.run('SET lock_configuration = true')
  else if (settings?.external !== 'false') {
    throw new DatabaseRefusedError(
      `strikes ui: ${database.path} was opened with external access on and a locked configuration; it was not read`,
    )
  }
}
