/**
 * Two sessions input by input, for one run and task-level key (`label.metric`): the task calls of the label
 * in the file's run on each side, grouped by the input they saw — the span's `input_key` when recorded, else
 * a signature of its named input hashes from `task_io` (their number and the XOR of a 64-bit hash of each
 * name and hash: independent of order, cheap to aggregate) — each input's mean score over its trials, and the pairs
 * matched by input: the difference, and whether it regressed, improved or stayed. Computed in DuckDB; a page
 * of pairs at a time, worst first.
 */
import type { UiDatabase } from './database-lease.js'

/** How one input moved. */
export const PAIR_CHANGES = [
  'regressed',
  'improved',
  'unchanged',
  'unscored',
  'only_baseline',
  'only_candidate',
] as const
export type PairChange = (typeof PAIR_CHANGES)[number]

/** One input in both sessions. */
export interface InputPair {
  readonly input: string
  readonly baseline: number | null
  readonly candidate: number | null
  readonly difference: number | null
  readonly change: PairChange
  readonly baselineSpan: string | null
  readonly candidateSpan: string | null
  readonly baselineTrials: number
  readonly candidateTrials: number
}

/** What is compared. */
export interface PairQuery {
  readonly baselineId: string
  readonly candidateId: string
  readonly project: string | null
  readonly run: string
  readonly label: string
  readonly metric: string
  readonly lowerIsBetter: boolean
}

/** A page of pairs, with the runs they came from and counts per change. */
export interface PairPage {
  readonly baselineRun: string | null
  readonly candidateRun: string | null
  readonly counts: Readonly<Record<PairChange, number>>
  readonly pairs: readonly InputPair[]
}

interface PairRow {
  input: string
  b: number | null
  c: number | null
  b_span: string | null
  c_span: string | null
  b_trials: bigint | number | null
  c_trials: bigint | number | null
  change: PairChange
}

/** The pairing SQL; `useKeys`: match by the spans' recorded `input_key` (both sessions have them). */
function pairsSql(useKeys: boolean): string {
  const key = useKeys ? 's.input_key' : 'NULL'
  const side = (name: string) => `
    ${name}r AS (
      SELECT run_id FROM runs WHERE session_id = ? AND name = ? AND project IS NOT DISTINCT FROM ?
      QUALIFY row_number() OVER (ORDER BY started_at DESC, run_id DESC) = 1
    ),
    ${name}s AS (
      SELECT s.run_id, s.span_id, s.started_at, ${key} AS input_key FROM spans s
      WHERE s.run_id IN (SELECT run_id FROM ${name}r) AND s.label = ? AND s.kind IN ('task', 'span')
    ),
    ${name}sig AS (
      SELECT io.run_id, io.span_id, count(*) || ':' || bit_xor(hash(io.name, io.hash)) AS sig
      FROM task_io io WHERE io.run_id IN (SELECT run_id FROM ${name}r) AND io.direction = 'input'
      GROUP BY io.run_id, io.span_id
    ),
    ${name}v AS (
      SELECT run_id, span_id, avg(value) AS v FROM metrics
      WHERE run_id IN (SELECT run_id FROM ${name}r) AND name = ? GROUP BY run_id, span_id
    ),
    ${name}i AS (
      SELECT coalesce(x.input_key, g.sig, 'span:' || x.span_id) AS input, avg(v.v) AS value, count(v.v) AS trials,
        arg_min(x.span_id, x.started_at) AS example
      FROM ${name}s x
        LEFT JOIN ${name}sig g ON g.run_id = x.run_id AND g.span_id = x.span_id
        LEFT JOIN ${name}v v ON v.run_id = x.run_id AND v.span_id = x.span_id
      GROUP BY 1
    )`
  return `WITH ${side('b')}, ${side('c')},
    pairs AS (
      SELECT coalesce(bi.input, ci.input) AS input, bi.value AS b, ci.value AS c, bi.example AS b_span,
        ci.example AS c_span, bi.trials AS b_trials, ci.trials AS c_trials,
        CASE WHEN bi.input IS NULL THEN 'only_candidate' WHEN ci.input IS NULL THEN 'only_baseline'
             WHEN bi.value IS NULL OR ci.value IS NULL THEN 'unscored'
             WHEN abs(ci.value - bi.value) <= 1e-9 * greatest(1, abs(bi.value)) THEN 'unchanged'
             WHEN (ci.value - bi.value) * ? > 0 THEN 'improved' ELSE 'regressed' END AS change
      FROM bi FULL JOIN ci ON bi.input = ci.input
    )`
}

function sideParams(query: PairQuery, sessionId: string): (string | null)[] {
  return [sessionId, query.run, query.project, query.label, query.metric]
}

/** Reads a page of pairs (`offset`, `limit`), optionally only those of one change, worst first. */
export async function loadInputPairs(
  db: UiDatabase,
  query: PairQuery,
  change: PairChange | undefined,
  offset: number,
  limit: number,
): Promise<PairPage> {
  const sign = query.lowerIsBetter ? -1 : 1
  const params = [...sideParams(query, query.baselineId), ...sideParams(query, query.candidateId), sign]
  const useKeys = db.features.inputKey && (await bothKeyed(db, query))
  const counts = await db.memo.get(`pair-counts:${JSON.stringify(query)}:${useKeys}`, async () => {
    const all = await db.database.query<{ change: PairChange; n: bigint | number }>(
      `${pairsSql(useKeys)} SELECT change, count(*) AS n FROM pairs GROUP BY change`,
      params,
    )
    const result = Object.fromEntries(PAIR_CHANGES.map((name) => [name, 0])) as Record<PairChange, number>
    for (const row of all) result[row.change] = Number(row.n)
    return result
  })
  const rows = await db.database.query<PairRow>(
    `${pairsSql(useKeys)}
     SELECT * FROM pairs WHERE ?::VARCHAR IS NULL OR change = ?::VARCHAR
     ORDER BY (c - b) * ? ASC NULLS LAST, input
     LIMIT ${Math.floor(limit)} OFFSET ${Math.floor(offset)}`,
    [...params, change ?? null, change ?? null, sign],
  )
  const runs = await db.database.query<{ session_id: string; run_id: string }>(
    `SELECT session_id, run_id FROM runs WHERE session_id IN (?, ?) AND name = ? AND project IS NOT DISTINCT FROM ?
     QUALIFY row_number() OVER (PARTITION BY session_id ORDER BY started_at DESC, run_id DESC) = 1`,
    [query.baselineId, query.candidateId, query.run, query.project],
  )
  return {
    baselineRun: runs.find((row) => row.session_id === query.baselineId)?.run_id ?? null,
    candidateRun: runs.find((row) => row.session_id === query.candidateId)?.run_id ?? null,
    counts,
    pairs: rows.map((row) => ({
      input: row.input,
      baseline: row.b,
      candidate: row.c,
      difference: row.b === null || row.c === null ? null : row.c - row.b,
      change: row.change,
      baselineSpan: row.b_span,
      candidateSpan: row.c_span,
      baselineTrials: Number(row.b_trials ?? 0),
      candidateTrials: Number(row.c_trials ?? 0),
    })),
  }
}

/** Whether both sessions recorded input keys for the label (else inputs are matched by their values' hashes). */
async function bothKeyed(db: UiDatabase, query: PairQuery): Promise<boolean> {
  const rows = await db.database.query<{ session_id: string; keyed: bigint | number }>(
    `SELECT r.session_id, count(s.input_key) AS keyed
     FROM runs r JOIN spans s ON s.run_id = r.run_id
     WHERE r.session_id IN (?, ?) AND r.name = ? AND r.project IS NOT DISTINCT FROM ? AND s.label = ?
     GROUP BY r.session_id`,
    [query.baselineId, query.candidateId, query.run, query.project, query.label],
  )
  return rows.length === 2 && rows.every((row) => Number(row.keyed) > 0)
}
