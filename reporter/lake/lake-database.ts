/**
 * A Parquet lake (see `lake-export.ts`) opened as a strikes database: an in-memory DuckDB with strikes'
 * schema, whose tables are replaced by views over the lake's files (`read_parquet(…, hive_partitioning =
 * true, union_by_name = true)`, columns a file lacks read as NULL), so `latest_runs`, `metric_summary` and
 * every other view strikes defines run over the lake. Queries may then read only the lake's folder.
 */
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { type Database, openDatabase } from '../store/database.js'

/** Opens the lake at `dir` for queries; throws when it is not a folder. */
export async function openLake(dir: string): Promise<Database> {
  const root = resolve(dir)
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new Error(`strikes: no lake at ${root} (write one with strikes export --parquet ${dir})`)
  }
  // Under the trust rule (external access off, configuration locked): the lake's folder, by its real
  // path, is the one place its views and the user's SQL may read.
  const real = realpathSync(root)
  const database = await openDatabase(':memory:', { allowedDirectories: [real] })
  try {
    const tables = await database.query<{ table_name: string; column_name: string; data_type: string }>(
      `SELECT table_name, column_name, data_type FROM duckdb_columns()
       WHERE database_name = current_database() AND schema_name = 'main'
         AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE NOT temporary)
       ORDER BY table_name, column_index`,
    )
    const byTable = new Map<string, { name: string; type: string }[]>()
    for (const row of tables) {
      byTable.set(row.table_name, [
        ...(byTable.get(row.table_name) ?? []),
        { name: row.column_name, type: row.data_type },
      ])
    }
    for (const [table, columns] of byTable) {
      if (table === 'strikes_schema') continue
      const files = join(real, table)
      if (!hasParquet(files)) continue
      const glob = `${join(files, '*', '*.parquet').replaceAll("'", "''")}`
      const source = `read_parquet('${glob}', hive_partitioning = true, union_by_name = true)`
      const present = new Set(
        (await database.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`)).map(
          (row) => row.column_name,
        ),
      )
      const select = columns.map(({ name, type }) =>
        present.has(name) ? `CAST("${name}" AS ${type}) AS "${name}"` : `CAST(NULL AS ${type}) AS "${name}"`,
      )
      await database.run(`DROP TABLE main."${table}"`)
      await database.run(`CREATE VIEW main."${table}" AS SELECT ${select.join(', ')} FROM ${source}`)
    }
    return database
  } catch (error) {
    database.close()
    throw error
  }
}

/** The table folder holds at least one partition with a Parquet file. */
function hasParquet(folder: string): boolean {
  if (!existsSync(folder)) return false
  for (const partition of readdirSync(folder)) {
    if (!partition.startsWith('session=')) continue
    const path = join(folder, partition)
    if (statSync(path).isDirectory() && readdirSync(path).some((name) => name.endsWith('.parquet')))
      return true
  }
  return false
}
