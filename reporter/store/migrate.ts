/**
 * Forward migrations of the schema: each migration newer than the file's version runs in its own
 * transaction (the `strikes_schema` table is created inside the first one, so a migration that fails
 * leaves the file as it was before that migration).
 */
import type { DuckDBValue } from '@duckdb/node-api'
import { MIGRATIONS, type Migration, SCHEMA_TABLE } from './schema.js'

/** What migrating needs of an open database (a `Database` of `database.ts`, which imports this file). */
export interface MigrationTarget {
  readonly path: string
  run(sql: string, params?: DuckDBValue[]): Promise<void>
  transaction<T>(body: () => Promise<T>): Promise<T>
}

/**
 * Applies every migration newer than `current` (the file's schema version, as the trust check read it),
 * each in its own transaction; a failure names the migration and leaves the earlier ones committed.
 */
export async function migrate(
  database: MigrationTarget,
  current: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<void> {
  for (const migration of migrations) {
    if (migration.version <= current) continue
    try {
      await database.transaction(async () => {
        await database.run(SCHEMA_TABLE)
        for (const statement of migration.statements) await database.run(statement)
        await database.run('INSERT INTO strikes_schema VALUES (?, ?, current_timestamp::TIMESTAMP)', [
          migration.version,
          migration.description,
        ])
      })
    } catch (error) {
      throw new Error(
        `strikes: migrating ${database.path} to schema version ${migration.version} failed: ${(error as Error).message}`,
        { cause: error },
      )
    }
  }
}
