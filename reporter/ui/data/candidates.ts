/**
 * The top-N candidates of each task label in a session (as in the report, but filterable): successful task
 * calls ranked by a chosen metric, else by the label's first scorer, highest (or lowest) first; at most 30
 * labels, each with its total.
 */
import type { UiDatabase } from './database-lease.js'

/** What to rank. */
export interface CandidateQuery {
  readonly sessionId: string
  readonly runId: string | undefined
  readonly label: string | undefined
  /** The metric to rank by; default: each label's first scorer. */
  readonly metric: string | undefined
  readonly descending: boolean
  readonly topN: number
}

/** One ranked call. */
export interface Candidate {
  readonly spanId: string
  readonly name: string
  readonly rank: number
  readonly value: number | null
}

/** The candidates of one label in one run. */
export interface CandidateGroup {
  readonly runId: string
  readonly run: string
  readonly label: string
  readonly taskName: string
  readonly metric: string | null
  /** Successful calls of the label in the run. */
  readonly total: number
  readonly candidates: readonly Candidate[]
}

/** Labels shown at most. */
export const MAX_LABELS = 30

interface GroupRow {
  run_id: string
  run: string
  label: string
  task_name: string
  total: bigint | number
  metric: string | null
}

interface RankRow {
  run_id: string
  label: string
  span_id: string
  name: string | null
  v: number | null
  rank: bigint | number
}

/** Ranks the candidates; groups in run and label order. */
export async function loadCandidates(
  db: UiDatabase,
  query: CandidateQuery,
): Promise<{ groups: CandidateGroup[]; labels: number }> {
  const scope = `SELECT run_id FROM runs WHERE session_id = ?${query.runId === undefined ? '' : ' AND run_id = ?'}`
  const scopeParams = query.runId === undefined ? [query.sessionId] : [query.sessionId, query.runId]
  const labelFilter = query.label === undefined ? '' : ' AND s.label = ?'
  const labelParams = query.label === undefined ? [] : [query.label]
  const ctes = `ok AS (
      SELECT s.run_id, s.span_id, s.label, s.name, s.started_at FROM spans s
      WHERE s.run_id IN (${scope}) AND s.kind = 'task' AND s.status = 'ok'${labelFilter}
    ),
    labels AS (SELECT run_id, label, count(*) AS total, min(name) AS task_name FROM ok GROUP BY run_id, label),
    first_scorer AS (
      SELECT ok.run_id, ok.label, arg_min(m.name, m.seq) AS scorer
      FROM ok JOIN metrics m ON m.run_id = ok.run_id AND m.span_id = ok.span_id
      WHERE m.source = 'scorer' AND m.run_id IN (${scope})
      GROUP BY ok.run_id, ok.label
    ),
    choice AS (
      SELECT l.run_id, r.name AS run, l.label, l.total, l.task_name, coalesce(?::VARCHAR, f.scorer) AS metric,
        count(*) OVER () AS labels
      FROM labels l JOIN runs r ON r.run_id = l.run_id
        LEFT JOIN first_scorer f ON f.run_id = l.run_id AND f.label = l.label
      QUALIFY row_number() OVER (ORDER BY r.name, l.run_id, l.label) <= ${MAX_LABELS}
    )`
  const params = [...scopeParams, ...labelParams, ...scopeParams, query.metric ?? null]
  const groups = await db.memo.get(`candidate-groups:${JSON.stringify(query)}`, () =>
    db.database.query<GroupRow & { labels: bigint | number }>(
      `WITH ${ctes} SELECT * FROM choice ORDER BY run, run_id, label`,
      params,
    ),
  )
  const ranked = await db.database.query<RankRow>(
    `WITH ${ctes},
     ranked AS (
       SELECT ok.run_id, ok.label, ok.span_id, ok.name, ok.started_at, avg(m.value) AS v
       FROM ok JOIN choice c ON c.run_id = ok.run_id AND c.label = ok.label
         JOIN metrics m ON m.run_id = ok.run_id AND m.span_id = ok.span_id AND m.name = c.metric
       WHERE m.run_id IN (${scope})
       GROUP BY ok.run_id, ok.label, ok.span_id, ok.name, ok.started_at
     )
     SELECT run_id, label, span_id, name, v,
       row_number() OVER (PARTITION BY run_id, label ORDER BY v ${query.descending ? 'DESC' : 'ASC'} NULLS LAST, started_at, span_id) AS rank
     FROM ranked QUALIFY rank <= ${Math.floor(query.topN)}
     ORDER BY run_id, label, rank`,
    [...params, ...scopeParams],
  )
  return {
    labels: Number(groups[0]?.labels ?? 0),
    groups: groups.map((group) => ({
      runId: group.run_id,
      run: group.run,
      label: group.label,
      taskName: group.task_name,
      metric: group.metric,
      total: Number(group.total),
      candidates: ranked
        .filter((row) => row.run_id === group.run_id && row.label === group.label)
        .map((row) => ({ spanId: row.span_id, name: row.name ?? '', rank: Number(row.rank), value: row.v })),
    })),
  }
}
