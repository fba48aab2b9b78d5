/**
 * The shape of a DuckDB catalog as the trust rule compares it (see `trust.ts`): its tables (DuckDB's own
 * CREATE TABLE text, column defaults, CHECK and FOREIGN KEY constraints), its views (their SQL), and every
 * other object (macros, types, sequences, indexes, schemas), read with DuckDB's catalog functions of the
 * `system` catalog only; and the comparison of a file's shape with the one strikes' migrations create.
 */
import type { DuckDBConnection } from '@duckdb/node-api'

/** Something in a database file that strikes did not create (or that differs from what it created). */
export interface ForeignObject {
  /** `view`, `macro`, `table macro`, `type`, `schema`, `sequence`, `index`, `table`, `column default`, `constraint`. */
  readonly kind: string
  /** Its name (`metric_summary`, `main.isnan`, `runs.name`). */
  readonly name: string
  /** Why it is refused: `not strikes' definition`, `not created by strikes`, `missing`. */
  readonly reason: string
}

/** A table as the trust check compares it. */
export interface TableShape {
  /** DuckDB's CREATE TABLE text: columns, types, defaults, constraints. */
  readonly sql: string
  /** Columns with a default or a generation expression. */
  readonly defaults: readonly string[]
  /** CHECK and FOREIGN KEY constraints (the ones that run an expression or reach another table). */
  readonly checks: readonly string[]
}

/** What a catalog holds, as far as trust goes. */
export interface CatalogShape {
  readonly tables: ReadonlyMap<string, TableShape>
  readonly views: ReadonlyMap<string, string>
  /** A reference's definitions as DuckDB renders them once read back from disk (they may differ). */
  readonly alternateViews?: ReadonlyMap<string, string>
  readonly alternateTables?: ReadonlyMap<string, TableShape>
  /** Every other object, as `kind name` (macros, types, sequences, indexes, schemas other than main). */
  readonly others: readonly ForeignObject[]
}

type Row = Record<string, unknown>

async function rows(connection: DuckDBConnection, sql: string, catalog: string): Promise<Row[]> {
  const reader = await connection.runAndReadAll(sql, [catalog])
  return reader.getRowObjectsJS() as Row[]
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : String(value ?? '')
}

/** Whitespace-insensitive SQL text (DuckDB renders stored definitions itself; this only evens out spacing). */
function normalise(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim()
}

/**
 * Reads the shape of catalog `catalog` using only the `system` catalog's table functions and `=`, which
 * objects in the file cannot shadow.
 */
export async function readCatalogShape(
  connection: DuckDBConnection,
  catalog: string,
  options: { readonly tablesAndViewsOnly?: boolean } = {},
): Promise<CatalogShape> {
  const others: ForeignObject[] = []
  for (const row of await rows(
    connection,
    'SELECT schema_name FROM system.main.duckdb_schemas() WHERE database_name = ?',
    catalog,
  )) {
    const name = text(row.schema_name)
    if (name !== 'main') others.push({ kind: 'schema', name, reason: 'not created by strikes' })
  }
  const defaults = new Map<string, string[]>()
  for (const row of await rows(
    connection,
    'SELECT table_name, column_name, column_default FROM system.main.duckdb_columns() WHERE database_name = ?',
    catalog,
  )) {
    if (row.column_default === null || row.column_default === undefined) continue
    const table = text(row.table_name)
    defaults.set(table, [...(defaults.get(table) ?? []), text(row.column_name)])
  }
  const checks = new Map<string, string[]>()
  for (const row of await rows(
    connection,
    'SELECT table_name, constraint_type, constraint_text FROM system.main.duckdb_constraints() WHERE database_name = ?',
    catalog,
  )) {
    const type = text(row.constraint_type)
    if (type !== 'CHECK' && type !== 'FOREIGN KEY') continue
    const table = text(row.table_name)
    checks.set(table, [...(checks.get(table) ?? []), text(row.constraint_text)])
  }
  const tables = new Map<string, TableShape>()
  for (const row of await rows(
    connection,
    'SELECT schema_name, table_name, sql FROM system.main.duckdb_tables() WHERE database_name = ?',
    catalog,
  )) {
    const name = text(row.table_name)
    if (text(row.schema_name) !== 'main') {
      others.push({
        kind: 'table',
        name: `${text(row.schema_name)}.${name}`,
        reason: 'not created by strikes',
      })
      continue
    }
    tables.set(name, {
      sql: normalise(text(row.sql)),
      defaults: defaults.get(name) ?? [],
      checks: checks.get(name) ?? [],
    })
  }
  const views = new Map<string, string>()
  for (const row of await rows(
    connection,
    'SELECT schema_name, view_name, sql FROM system.main.duckdb_views() WHERE database_name = ?',
    catalog,
  )) {
    const name = text(row.view_name)
    if (text(row.schema_name) !== 'main') {
      others.push({
        kind: 'view',
        name: `${text(row.schema_name)}.${name}`,
        reason: 'not created by strikes',
      })
      continue
    }
    views.set(name, normalise(text(row.sql)))
  }
  if (options.tablesAndViewsOnly === true) return { tables, views, others }
  for (const row of await rows(
    connection,
    'SELECT schema_name, function_name, function_type FROM system.main.duckdb_functions() WHERE database_name = ? AND internal = false',
    catalog,
  )) {
    const kind = text(row.function_type).replace('_', ' ')
    others.push({
      kind: kind === '' ? 'function' : kind,
      name: `${text(row.schema_name)}.${text(row.function_name)}`,
      reason: 'not created by strikes',
    })
  }
  for (const [sql, kind, column] of [
    [
      'SELECT schema_name, type_name FROM system.main.duckdb_types() WHERE database_name = ? AND internal = false',
      'type',
      'type_name',
    ],
    [
      'SELECT schema_name, sequence_name FROM system.main.duckdb_sequences() WHERE database_name = ?',
      'sequence',
      'sequence_name',
    ],
    [
      'SELECT schema_name, index_name FROM system.main.duckdb_indexes() WHERE database_name = ?',
      'index',
      'index_name',
    ],
  ] as const) {
    for (const row of await rows(connection, sql, catalog)) {
      others.push({
        kind,
        name: `${text(row.schema_name)}.${text(row[column])}`,
        reason: 'not created by strikes',
      })
    }
  }
  return { tables, views, others }
}

/** True when two tables have the same definition. */
export function sameTable(actual: TableShape, expected: TableShape): boolean {
  return actual.sql === expected.sql
}

/** Everything in `actual` that the reference does not have or defines differently, and what it lacks. */
export function compareShapes(actual: CatalogShape, reference: CatalogShape): ForeignObject[] {
  const known = new Set(reference.others.map((object) => `${object.kind} ${object.name}`))
  const foreign = actual.others.filter((object) => !known.has(`${object.kind} ${object.name}`))
  for (const [name, table] of actual.tables) {
    const expected = reference.tables.get(name)
    if (expected !== undefined) {
      const alternate = reference.alternateTables?.get(name)
      if (!sameTable(table, expected) && (alternate === undefined || !sameTable(table, alternate)))
        foreign.push({ kind: 'table', name, reason: "not strikes' definition" })
      continue
    }
    // A table strikes does not know is tolerated as plain data, never as code.
    for (const column of table.defaults) {
      foreign.push({ kind: 'column default', name: `${name}.${column}`, reason: 'not created by strikes' })
    }
    for (const check of table.checks) {
      foreign.push({ kind: 'constraint', name: `${name} ${check}`, reason: 'not created by strikes' })
    }
  }
  for (const [name, sql] of actual.views) {
    const expected = reference.views.get(name)
    if (expected === undefined) foreign.push({ kind: 'view', name, reason: 'not created by strikes' })
    else if (expected !== sql && reference.alternateViews?.get(name) !== sql)
      foreign.push({ kind: 'view', name, reason: "not strikes' definition" })
  }
  for (const name of reference.tables.keys()) {
    if (!actual.tables.has(name)) foreign.push({ kind: 'table', name, reason: 'missing' })
  }
  for (const name of reference.views.keys()) {
    if (!actual.views.has(name)) foreign.push({ kind: 'view', name, reason: 'missing' })
  }
  return foreign
}
