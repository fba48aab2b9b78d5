/**
 * Whether a database's `spans` table has the `input_key` and `trial` columns (schema 3). The CLI opens
 * databases read-only and so never migrates them: a database last written by an older strikes lacks the
 * columns, and the statistics then treat every point as recorded without an input key.
 */
import type { Database } from '../store/database.js'

const known = new WeakMap<Database, Promise<boolean>>()

/** True when `spans.input_key` and `spans.trial` exist (checked once per open database). */
export function hasInputKeyColumns(database: Database): Promise<boolean> {
  let answer = known.get(database)
  if (answer === undefined) {
    answer = database
      .query<{ n: bigint | number }>(
        `SELECT count(*) AS n FROM information_schema.columns
         WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = 'spans'
           AND column_name IN ('input_key', 'trial')`,
      )
      .then((rows) => Number(rows[0]?.n ?? 0) === 2)
    known.set(database, answer)
  }
  return answer
}
