/**
 * A database as an older strikes wrote it: the migrations up to `version` applied (and recorded) in a new
 * file, then the rows of a database of the current schema copied in, each table by the columns it had at
 * that version. Tests of reading older files use it: the trust check compares a file with the catalog of
 * its own schema version, so columns dropped from a current file would (rightly) be refused.
 */
import { join } from 'node:path'
import { DuckDBInstance } from '@duckdb/node-api'
import { MIGRATIONS, SCHEMA_TABLE } from '../../reporter/store/schema.js'

/** Writes `strikes-v<version>.duckdb` beside `source` at schema `version`, with its rows; returns its path. */
export async function copyAtSchemaVersion(source: string, version: number): Promise<string> {
  const path = join(source, '..', `strikes-v${version}.duckdb`)
  const instance = await DuckDBInstance.create(path)
  const connection = await instance.connect()
  try {
    await connection.run(SCHEMA_TABLE)
    for (const migration of MIGRATIONS) {
      if (migration.version > version) break
      for (const statement of migration.statements) await connection.run(statement)
      await connection.run('INSERT INTO strikes_schema VALUES (?, ?, current_timestamp::TIMESTAMP)', [
        migration.version,
        migration.description,
      ])
    }
    await connection.run(`ATTACH '${source.replaceAll("'", "''")}' AS current_file (READ_ONLY)`)
    const reader = await connection.runAndReadAll(
      `SELECT table_name, list(column_name ORDER BY ordinal_position) AS columns
       FROM information_schema.columns
       WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name <> 'strikes_schema'
         AND table_name IN (SELECT table_name FROM information_schema.tables
                            WHERE table_catalog = current_database() AND table_type = 'BASE TABLE')
       GROUP BY table_name`,
    )
    for (const row of reader.getRowObjectsJS()) {
      const columns = (row.columns as string[]).map((column) => `"${column}"`).join(', ')
      await connection.run(
        `INSERT INTO main."${String(row.table_name)}" (${columns}) SELECT ${columns} FROM current_file."${String(row.table_name)}"`,
      )
    }
    await connection.run('DETACH current_file')
  } finally {
    connection.closeSync()
    instance.closeSync()
  }
  return path
}
