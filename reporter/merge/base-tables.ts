/**
 * The base tables of a database's main schema with their columns: what the merge copies and what the
 * inspection of a shard checks (views are left out: they are never read).
 */
import type { Database } from '../store/database.js'

/**
 * Reads the base tables of a database's main schema and their columns, in column order (views are left
 * out: they are never read).
 */
export async function baseTables(database: Database): Promise<Map<string, string[]>> {
  const rows = await database.query<{ table_name: string; column_name: string }>(
    `SELECT c.table_name, c.column_name FROM duckdb_columns() c
     JOIN duckdb_tables() t ON t.database_name = c.database_name AND t.schema_name = c.schema_name
       AND t.table_name = c.table_name
     WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT t.temporary
     ORDER BY c.table_name, c.column_index`,
  )
  const tables = new Map<string, string[]>()
  for (const row of rows) tables.set(row.table_name, [...(tables.get(row.table_name) ?? []), row.column_name])
  return tables
}
