/**
 * Reading given rows of a big table by their row numbers (`rowid`). DuckDB reads a row-number range
 * directly, but turns a list of row numbers into one range from the smallest to the largest — over a
 * million-row table, rows far apart would mean reading everything between. So the numbers are grouped into
 * runs of nearby rows (rows found together usually were written together) and each group is read as its own
 * small range; when the rows are too scattered for that to pay, the caller's fallback query is used.
 */
import type { UiDatabase } from './database-lease.js'

/** Rows closer than this are read in one range. */
const GAP = 4_096
/** More groups than this: too scattered, the fallback reads instead. */
const MAX_GROUPS = 12

/** SQL text of a string literal (quotes doubled). */
export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`
}

/** SQL text of a list of string literals, for `IN (…)` (DuckDB prunes row groups with such lists). */
export function sqlStringList(values: Iterable<string>): string {
  const list = [...new Set(values)].map(sqlString)
  return list.length === 0 ? 'NULL' : list.join(', ')
}

/**
 * Rows of `table` with the given row numbers: `select` is the column list (it must include `rowid AS row`);
 * `fallback` is a WHERE condition finding the same rows another way, used when they are scattered.
 */
export async function rowsByNumber<T extends { row: bigint | number }>(
  db: UiDatabase,
  table: string,
  select: string,
  rows: readonly (bigint | number)[],
  fallback: string,
): Promise<T[]> {
  if (rows.length === 0) return []
  const numbers = [...new Set(rows.map((row) => BigInt(row)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const groups: bigint[][] = []
  for (const number of numbers) {
    const last = groups[groups.length - 1]
    const previous = last?.[last.length - 1]
    if (last !== undefined && previous !== undefined && number - previous <= BigInt(GAP)) last.push(number)
    else groups.push([number])
  }
  const wanted = new Set(numbers)
  if (groups.length > MAX_GROUPS) {
    const found = await db.database.query<T>(`SELECT ${select} FROM ${table} WHERE ${fallback}`)
    return found.filter((row) => wanted.has(BigInt(row.row)))
  }
  // Row numbers come from DuckDB itself (integers), written into the SQL so each range is read directly.
  const sql = groups
    .map(
      (group) =>
        `SELECT ${select} FROM ${table} WHERE rowid BETWEEN ${group[0]} AND ${group[group.length - 1]}` +
        (group.length === 1 ? '' : ` AND rowid IN (${group.join(', ')})`),
    )
    .join(' UNION ALL ')
  const found = await db.database.query<T>(sql)
  return found.filter((row) => wanted.has(BigInt(row.row)))
}
