/**
 * Two sessions side by side: for each run-level key of each run (matched by project, run name and key),
 * one aggregate in each session and the change. Higher is better unless the key is listed as
 * lower-is-better; regressions come first, the largest relative drop first. Everything is computed and
 * ordered in DuckDB, so a million keys cost one query; callers read the first rows (a table) or stream
 * them all (JSON).
 */
import type { DuckDBValue } from '@duckdb/node-api'
import { AGGREGATE_SQL } from '../gate/series-aggregates.js'
import type { Aggregate } from '../gate/threshold-expression.js'
import type { Database } from '../store/database.js'

/** How a key changed from session A to session B. */
export type ComparisonStatus = 'regressed' | 'improved' | 'unchanged' | 'only in A' | 'only in B'

/** One run and key in both sessions. */
export interface ComparisonRow {
  readonly project: string | null
  readonly run: string
  readonly key: string
  /** The aggregate in session A (the baseline). */
  readonly a: number | undefined
  /** The aggregate in session B (the candidate). */
  readonly b: number | undefined
  /** `b - a`. */
  readonly delta: number | undefined
  /** `(b - a) / |a|`; undefined when `a` is 0 or absent. */
  readonly relative: number | undefined
  readonly status: ComparisonStatus
}

/** What to compare. */
export interface CompareOptions {
  readonly aggregate: Aggregate
  /** Keys for which a decrease is an improvement (latency, cost, token counts). */
  readonly lowerIsBetter: ReadonlySet<string>
}

/** The query comparing session `$1` (A) with session `$2` (B); `$3` is the lower-is-better keys (a JSON list). */
function comparisonSql(aggregate: Aggregate): string {
  const value = AGGREGATE_SQL[aggregate]
  // Aggregated per run and key first, then named: a run's (possibly huge) name is joined once per key.
  // The newest run wins when a file ran twice in a session (per key, as each key is looked up on its own).
  const values = (session: string) => `
    SELECT r.project, r.name AS run, agg.key, agg.value
    FROM (
      SELECT run_id, name AS key, ${value} AS value FROM run_metrics
      WHERE run_id IN (SELECT run_id FROM runs WHERE session_id = ${session})
        AND raw_value IS NOT NULL AND NOT isnan(raw_value)
      GROUP BY run_id, name
    ) agg JOIN runs r ON r.run_id = agg.run_id
    QUALIFY row_number() OVER (PARTITION BY r.project, r.name, agg.key ORDER BY r.started_at DESC, r.run_id DESC) = 1`
  return `
    WITH a AS (${values('$1')}), b AS (${values('$2')}),
    joined AS (
      SELECT coalesce(a.project, b.project) AS project, coalesce(a.run, b.run) AS run, coalesce(a.key, b.key) AS key,
        a.value AS a, b.value AS b, b.value - a.value AS delta,
        CASE WHEN a.value <> 0 THEN (b.value - a.value) / abs(a.value) END AS relative,
        CASE WHEN coalesce(a.key, b.key) IN (SELECT unnest($3::JSON::VARCHAR[])) THEN -1 ELSE 1 END AS sign
      FROM a FULL OUTER JOIN b ON a.project IS NOT DISTINCT FROM b.project AND a.run = b.run AND a.key = b.key
    ),
    judged AS (
      SELECT project, run, key, a, b, delta, relative,
        CASE WHEN a IS NULL THEN 'only in B' WHEN b IS NULL THEN 'only in A'
          WHEN a = b OR abs(b - a) <= 1e-9 * greatest(1, abs(a), abs(b)) THEN 'unchanged'
          WHEN delta * sign < 0 THEN 'regressed' ELSE 'improved' END AS status
      FROM joined
    ),
    -- Counted apart and joined once: a filtered count OVER () is quadratic in DuckDB.
    counts AS (
      SELECT count(*) FILTER (WHERE status = 'regressed') AS n_regressed,
        count(*) FILTER (WHERE status = 'improved') AS n_improved, count(*) AS n_total
      FROM judged
    )
    SELECT project, run, key, a, b, delta, relative, status, n_regressed, n_improved, n_total
    FROM judged, counts
    ORDER BY CASE status WHEN 'regressed' THEN 0 WHEN 'improved' THEN 1 WHEN 'unchanged' THEN 2
        WHEN 'only in A' THEN 3 ELSE 4 END,
      CASE WHEN status IN ('regressed', 'improved') THEN abs(coalesce(relative, delta, 0)) END DESC NULLS LAST,
      run, key`
}

function params(a: string, b: string, options: CompareOptions): DuckDBValue[] {
  return [a, b, JSON.stringify([...options.lowerIsBetter])]
}

function toRow(row: Record<string, unknown>): ComparisonRow {
  const number = (value: unknown): number | undefined =>
    value === null || value === undefined ? undefined : Number(value)
  return {
    project: row.project === null || row.project === undefined ? null : String(row.project),
    run: String(row.run ?? ''),
    key: String(row.key ?? ''),
    a: number(row.a),
    b: number(row.b),
    delta: number(row.delta),
    relative: number(row.relative),
    status: String(row.status) as ComparisonStatus,
  }
}

/** The first rows of a comparison, and how many there are of each status. */
export interface ComparisonPage {
  readonly rows: ComparisonRow[]
  readonly regressed: number
  readonly improved: number
  readonly total: number
}

/**
 * Compares session `a` (baseline) with session `b` (candidate): the first `limit` rows (all without a
 * limit), regressions first, with the counts over every row (one pass).
 */
export async function compareSessions(
  database: Database,
  a: string,
  b: string,
  options: CompareOptions & { readonly limit?: number },
): Promise<ComparisonPage> {
  const limit = options.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.floor(options.limit))}`
  const rows = await database.query<Record<string, unknown>>(
    `${comparisonSql(options.aggregate)}${limit}`,
    params(a, b, options),
  )
  const first = rows[0]
  return {
    rows: rows.map(toRow),
    regressed: Number(first?.n_regressed ?? 0),
    improved: Number(first?.n_improved ?? 0),
    total: Number(first?.n_total ?? 0),
  }
}

/** Calls `onRows` with every row of the comparison, in order, a block at a time (never all at once). */
export async function streamComparison(
  database: Database,
  a: string,
  b: string,
  options: CompareOptions,
  onRows: (rows: ComparisonRow[]) => void,
): Promise<void> {
  const result = await database.connection.stream(comparisonSql(options.aggregate), params(a, b, options))
  const columns = result.columnNames()
  while (true) {
    const chunk = await result.fetchChunk()
    if (chunk === null || chunk.rowCount === 0) return
    const { JSDuckDBValueConverter } = await import('@duckdb/node-api')
    onRows(
      chunk
        .convertRows(JSDuckDBValueConverter)
        .map((values) => toRow(Object.fromEntries(columns.map((column, index) => [column, values[index]])))),
    )
  }
}
