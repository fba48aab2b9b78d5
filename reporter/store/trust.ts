/**
 * The trust rule for database files: a `.duckdb` file can carry code — views, macros (which shadow
 * built-in functions such as `isnan` or `count`), column defaults and generated columns, CHECK
 * constraints, index expressions, types that shadow built-in types — and DuckDB runs that code when
 * strikes reads or writes the file. A file is something people commit, download as a CI artifact or
 * receive, so strikes runs none of it:
 *
 * - every connection is locked down before its first query ({@link lockDown}): no extension is loaded or
 *   installed, external access (files, network, `ATTACH`, `COPY`) is off except for the directories the
 *   caller names, and the configuration is locked, so no later SQL can turn any of it back on;
 * - before any other statement, the file's catalog is compared with the catalog strikes' own migrations
 *   create for the file's schema version, in a fresh in-memory database ({@link verifyCatalog}). It must
 *   hold exactly strikes' tables (same columns, types, defaults and constraints) and views, and no
 *   macro, function, type, sequence, index or schema strikes did not create. Tables strikes does not
 *   know are tolerated only as plain data: no column default, no generated column, no CHECK or FOREIGN
 *   KEY constraint. Anything else is refused, naming what is foreign ({@link UntrustedDatabaseError}).
 *
 * The check reads only DuckDB's own catalog functions, qualified with the `system` catalog (a table macro
 * in the file named `duckdb_views` cannot stand in for them), with plain comparisons (which macros
 * cannot shadow). `openDatabase` applies both steps to every open, read-only or not.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { DuckDBConnection } from '@duckdb/node-api'
import {
  type CatalogShape,
  compareShapes,
  type ForeignObject,
  readCatalogShape,
  sameTable,
} from './catalog-shape.js'
import { MIGRATIONS, SCHEMA_TABLE, SCHEMA_VERSION } from './schema.js'

export { type CatalogShape, compareShapes, type ForeignObject, readCatalogShape } from './catalog-shape.js'

type Row = Record<string, unknown>

function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value ?? '')
}

/** The file holds objects strikes did not create; nothing in it was run and nothing was written. */
export class UntrustedDatabaseError extends Error {
  override name = 'UntrustedDatabaseError'
  /** What was found that strikes did not create. */
  readonly foreign: readonly ForeignObject[]

  constructor(path: string, foreign: readonly ForeignObject[]) {
    const shown = foreign.slice(0, 6).map(describeForeign).join('; ')
    const more = foreign.length > 6 ? `; and ${foreign.length - 6} more` : ''
    super(
      `strikes: ${path} holds objects strikes did not create (${shown}${more}); they could run code when ` +
        'the file is read, so it was neither read nor changed. If you trust the file, drop them in a DuckDB ' +
        'shell; otherwise delete it.',
    )
    this.foreign = foreign
  }
}

/** The file is a DuckDB database of another application (or none of strikes' tables); it was not changed. */
export class NotStrikesDatabaseError extends Error {
  override name = 'NotStrikesDatabaseError'
}

/** The file's schema is newer than this strikes; it was not changed. */
export class NewerSchemaError extends Error {
  override name = 'NewerSchemaError'
}

function describeForeign(object: ForeignObject): string {
  return `${object.kind} ${object.name}: ${object.reason}`
}

/** Where DuckDB may still read and write files once the connection is locked down. */
export interface LockDownOptions {
  /** Directories DuckDB may access (the spool for ingest, an export folder); none by default. */
  readonly allowedDirectories?: readonly string[]
  /** Lock the configuration (default true); see `OpenDatabaseOptions.lockConfiguration`. */
  readonly lockConfiguration?: boolean
}

/** Settings given when the DuckDB instance is created, before anything can load an extension. */
export const INSTANCE_SETTINGS: Readonly<Record<string, string>> = {
  autoload_known_extensions: 'false',
  autoinstall_known_extensions: 'false',
}

/**
 * Turns external access off (except for `allowedDirectories`) and locks the configuration, so that no
 * SQL run afterwards on any connection of the instance can read or write other files, reach the
 * network, attach databases or load extensions. Unlocked (`lockConfiguration: false`), external access
 * still cannot be turned back on nor the directories widened (DuckDB refuses both while running).
 */
export async function lockDown(connection: DuckDBConnection, options: LockDownOptions = {}): Promise<void> {
  const directories = options.allowedDirectories ?? []
  if (directories.length > 0) {
    const list = directories.map((dir) => sqlString(dir.endsWith('/') ? dir : `${dir}/`)).join(', ')
    await connection.run(`SET allowed_directories = [${list}]`)
  }
  await connection.run('SET enable_external_access = false')
  if (options.lockConfiguration !== false) await connection.run('SET lock_configuration = true')
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** Shapes of the catalogs strikes' migrations create, per schema version, built once per process. */
const references = new Map<number, Promise<CatalogShape>>()

/** The catalog strikes' migrations up to `version` create, read from a fresh in-memory database. */
export function referenceCatalog(version: number): Promise<CatalogShape> {
  let reference = references.get(version)
  if (reference === undefined) {
    reference = buildReference(version)
    references.set(version, reference)
    reference.catch(() => references.delete(version))
  }
  return reference
}

/**
 * Builds the reference in a temporary file, read twice: as created, and once more after the file was
 * closed and opened again — DuckDB renders some stored view definitions differently once it has read
 * them back from disk, and a file is verified in either state.
 */
async function buildReference(version: number): Promise<CatalogShape> {
  const { DuckDBInstance } = await import('@duckdb/node-api')
  const dir = mkdtempSync(join(tmpdir(), 'strikes-reference-'))
  const file = join(dir, 'reference.duckdb')
  const read = async (create: boolean): Promise<CatalogShape> => {
    const instance = await DuckDBInstance.create(file, { ...INSTANCE_SETTINGS })
    try {
      const connection = await instance.connect()
      try {
        await lockDown(connection)
        if (create) {
          if (version > 0) await connection.run(SCHEMA_TABLE)
          for (const migration of MIGRATIONS) {
            if (migration.version > version) break
            for (const statement of migration.statements) await connection.run(statement)
          }
        }
        // A fresh database holds no macro, type, sequence or index: listing them (slow) would find nothing.
        return await readCatalogShape(connection, 'reference', { tablesAndViewsOnly: true })
      } finally {
        connection.closeSync()
      }
    } finally {
      instance.closeSync()
    }
  }
  try {
    const created = await read(true)
    const reopened = await read(false)
    return { ...created, alternateViews: reopened.views, alternateTables: reopened.tables }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The catalog of the database a connection opened (the one attached database that is not DuckDB's own). */
export async function defaultCatalog(connection: DuckDBConnection): Promise<string> {
  const reader = await connection.runAndReadAll(
    'SELECT database_name FROM system.main.duckdb_databases() WHERE internal = false',
  )
  const names = (reader.getRowObjectsJS() as Row[]).map((row) => text(row.database_name))
  const [only, ...others] = names
  if (only === undefined || others.length > 0) {
    throw new Error(`strikes: expected one database on the connection, found ${names.length}`)
  }
  return only
}

/** What the trust check found: the file's schema version (0: nothing of strikes' yet). */
export interface TrustedCatalog {
  readonly version: number
}

/**
 * Verifies that catalog `catalog` (the database at `path`) holds only what strikes creates, before any
 * query that could call code stored in it; returns its schema version. Throws
 * {@link UntrustedDatabaseError} naming what is foreign, {@link NewerSchemaError} for a schema newer than
 * this strikes, and {@link NotStrikesDatabaseError} for another application's database (tables but no
 * `strikes_schema`) or, when `requireSchema`, a database without strikes' tables.
 */
export async function verifyCatalog(
  connection: DuckDBConnection,
  catalog: string,
  path: string,
  options: { readonly requireSchema?: boolean } = {},
): Promise<TrustedCatalog> {
  const shape = await readCatalogShape(connection, catalog)
  const version = await schemaVersionOf(connection, catalog, shape, path)
  if (version > SCHEMA_VERSION) {
    throw new NewerSchemaError(
      `strikes: ${path} has schema version ${version}, newer than this strikes (${SCHEMA_VERSION}); upgrade strikes`,
    )
  }
  if (version === 0) {
    const found = [...shape.tables.keys(), ...shape.views.keys()]
    if (found.length > 0) {
      throw new NotStrikesDatabaseError(
        `strikes: ${path} is a DuckDB database of another application (it holds ${listNames(found)} and no ` +
          'strikes_schema table); it was left untouched. Point the `db` option (or --db) at another file.',
      )
    }
    if (options.requireSchema === true) {
      throw new NotStrikesDatabaseError(
        `strikes: ${path} is a DuckDB database without strikes' tables (nothing was recorded into it yet)`,
      )
    }
  }
  const foreign = compareShapes(shape, await referenceCatalog(version))
  if (foreign.length > 0) throw new UntrustedDatabaseError(path, foreign)
  return { version }
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 5).join(', ')
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown
}

/** The highest migration recorded in the file; 0 without `strikes_schema`. Reads the table only once its shape is strikes'. */
async function schemaVersionOf(
  connection: DuckDBConnection,
  catalog: string,
  shape: CatalogShape,
  path: string,
): Promise<number> {
  const table = shape.tables.get('strikes_schema')
  if (table === undefined) {
    if (shape.views.has('strikes_schema')) {
      throw new UntrustedDatabaseError(path, [
        { kind: 'view', name: 'strikes_schema', reason: "not strikes' definition (a table)" },
      ])
    }
    return 0
  }
  // No migration changes the table, so the current reference's is that of every version (and is the one
  // reference a process usually builds).
  const expected = (await referenceCatalog(SCHEMA_VERSION)).tables.get('strikes_schema')
  if (expected === undefined || !sameTable(table, expected)) {
    throw new UntrustedDatabaseError(path, [
      { kind: 'table', name: 'strikes_schema', reason: "not strikes' definition" },
    ])
  }
  const reader = await connection.runAndReadAll(
    `SELECT version FROM "${catalog.replaceAll('"', '""')}".main.strikes_schema`,
  )
  const applied = new Set<number>()
  let version = 0
  for (const row of reader.getRowObjectsJS() as Row[]) {
    const value = Number(row.version)
    if (!Number.isFinite(value)) continue
    applied.add(value)
    if (value > version) version = value
  }
  // A development build can skip a version another branch later fills in: migrations apply in order, so
  // such a file cannot be brought up to date (its tables would differ from strikes' own). A file newer
  // than this strikes is refused as newer (upgrade strikes), whatever it holds.
  const skipped = MIGRATIONS.filter(
    (migration) =>
      version <= SCHEMA_VERSION && migration.version < version && !applied.has(migration.version),
  )
  if (skipped.length > 0) {
    throw new NotStrikesDatabaseError(
      `strikes: ${path} has schema version ${version} without migration ${skipped.map((m) => m.version).join(', ')} ` +
        `(${skipped[0]?.description ?? ''}): it was recorded by a development build of strikes and cannot be ` +
        'migrated; it was left untouched. Move it away (or delete it) and strikes creates the database afresh.',
    )
  }
  return version
}
