/**
 * Two sessions key by key: runs matched by project and name (the newest run of a file in each session),
 * per run-level key the mean of the raw values and the number of points on each side, the difference of
 * the means, and whether it moved the right way. Intervals, p-values and verdicts come from the statistics
 * (see `../statistics.ts`) and are attached when given.
 */
import { comparisonKey, type PairedKeyComparison, type UiStatistics } from '../statistics.js'
import type { UiDatabase } from './database-lease.js'

/** How a key moved from the baseline to the candidate, by its means. */
export type KeyChange = 'regressed' | 'improved' | 'unchanged' | 'only_baseline' | 'only_candidate'

/** One run and key in both sessions. */
export interface KeyComparison {
  readonly project: string | null
  readonly run: string
  readonly key: string
  readonly baselineMean: number | null
  readonly baselinePoints: number
  readonly candidateMean: number | null
  readonly candidatePoints: number
  /** Candidate mean − baseline mean. */
  readonly difference: number | null
  readonly change: KeyChange
  readonly lowerIsBetter: boolean
  /** The statistics' paired comparison of this run and key, when computed. */
  readonly statistics: PairedKeyComparison | undefined
}

interface KeyRow {
  project: string | null
  run: string
  key: string
  b_mean: number | null
  b_n: bigint | number | null
  c_mean: number | null
  c_n: bigint | number | null
}

/** SQL (CTE body): the newest run of each file in sessions `?` and `?`. */
export const MATCHED_RUNS = `
  SELECT session_id, project, name AS run, run_id FROM runs WHERE session_id IN (?, ?)
  QUALIFY row_number() OVER (PARTITION BY session_id, project, name ORDER BY started_at DESC, run_id DESC) = 1`

/** Differences smaller than this, relative to the baseline, count as unchanged. */
const EPSILON = 1e-9

/** Compares every run and key of two sessions; regressions first, then by run and key. */
export async function compareKeys(
  db: UiDatabase,
  statistics: UiStatistics,
  baselineId: string,
  candidateId: string,
  lowerIsBetter: (key: string) => boolean,
): Promise<KeyComparison[]> {
  const rows = await db.memo.get(`compare-keys:${baselineId}:${candidateId}`, () =>
    db.database.query<KeyRow>(
      `WITH side AS (${MATCHED_RUNS}),
       agg AS (
         SELECT side.session_id, side.project, side.run, m.name AS key, avg(m.raw_value) AS mean, count(*) AS n
         FROM run_metrics m JOIN side ON side.run_id = m.run_id
         WHERE m.raw_value IS NOT NULL AND isfinite(m.raw_value)
         GROUP BY side.session_id, side.project, side.run, m.name
       ),
       b AS (SELECT * FROM agg WHERE session_id = ?),
       c AS (SELECT * FROM agg WHERE session_id = ?)
       SELECT coalesce(b.project, c.project) AS project, coalesce(b.run, c.run) AS run, coalesce(b.key, c.key) AS key,
         b.mean AS b_mean, b.n AS b_n, c.mean AS c_mean, c.n AS c_n
       FROM b FULL JOIN c ON b.project IS NOT DISTINCT FROM c.project AND b.run = c.run AND b.key = c.key
       ORDER BY run, key LIMIT 5000`,
      [baselineId, candidateId, baselineId, candidateId],
    ),
  )
  const paired = new Map(
    (
      await db.memo.get(`compare-statistics:${baselineId}:${candidateId}`, () =>
        statistics.compareSessions(db.database, baselineId, candidateId),
      )
    ).map((entry) => [comparisonKey(entry.run, entry.key), entry]),
  )
  const order: KeyChange[] = ['regressed', 'improved', 'unchanged', 'only_baseline', 'only_candidate']
  return rows
    .map((row) => {
      const lower = lowerIsBetter(row.key)
      const difference = row.b_mean === null || row.c_mean === null ? null : row.c_mean - row.b_mean
      return {
        project: row.project,
        run: row.run,
        key: row.key,
        baselineMean: row.b_mean,
        baselinePoints: Number(row.b_n ?? 0),
        candidateMean: row.c_mean,
        candidatePoints: Number(row.c_n ?? 0),
        difference,
        change: changeOf(row.b_mean, row.c_mean, lower),
        lowerIsBetter: lower,
        statistics: paired.get(comparisonKey(row.run, row.key)),
      }
    })
    .sort(
      (x, y) =>
        order.indexOf(x.change) - order.indexOf(y.change) ||
        x.run.localeCompare(y.run) ||
        x.key.localeCompare(y.key),
    )
}

function changeOf(baseline: number | null, candidate: number | null, lowerIsBetter: boolean): KeyChange {
  if (baseline === null) return 'only_candidate'
  if (candidate === null) return 'only_baseline'
  const difference = candidate - baseline
  if (Math.abs(difference) <= EPSILON * Math.max(1, Math.abs(baseline))) return 'unchanged'
  return difference > 0 !== lowerIsBetter ? 'improved' : 'regressed'
}
