/**
 * The top-N candidates of each task label in a session (as in the report, but filterable): successful task
 * calls ranked by a chosen metric, else by the label's first scorer (the first scorer of its first call),
 * highest (or lowest) first, picked with DuckDB's top-N aggregates; at most 30 labels, each with its total.
 */
import type { UiDatabase } from './database-lease.js'
import { sqlStringList } from './rows-by-number.js'

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
  const ok = `SELECT s.run_id, s.span_id, s.label, s.name, s.started_at FROM spans s
    WHERE s.run_id IN (${scope}) AND s.kind = 'task' AND s.status = 'ok'${labelFilter}`
  // The labels, each with its first call; a label's first scorer is the first scorer of its first call.
  const groups = await db.memo.get(`candidate-groups:${JSON.stringify(query)}`, async () => {
    const labels = await db.database.query<GroupRow & { first_span: string; labels: bigint | number }>(
      `WITH ok AS (${ok})
       SELECT l.run_id, r.name AS run, l.label, l.total, l.task_name, l.first_span, NULL AS metric,
         count(*) OVER () AS labels
       FROM (
         SELECT run_id, label, count(*) AS total, min(name) AS task_name, arg_min(span_id, started_at) AS first_span
         FROM ok GROUP BY run_id, label
       ) l JOIN runs r ON r.run_id = l.run_id
       QUALIFY row_number() OVER (ORDER BY r.name, l.run_id, l.label) <= ${MAX_LABELS}
       ORDER BY r.name, l.run_id, l.label`,
      [...scopeParams, ...labelParams],
    )
    if (query.metric !== undefined || labels.length === 0)
      return labels.map((row) => ({ ...row, metric: query.metric ?? null }))
    const scorers = await db.database.query<{ run_id: string; span_id: string; scorer: string }>(
      `SELECT run_id, span_id, arg_min(name, seq) AS scorer FROM metrics
       WHERE run_id IN (${sqlStringList(labels.map((row) => row.run_id))})
         AND span_id IN (${sqlStringList(labels.map((row) => row.first_span))}) AND source = 'scorer'
       GROUP BY run_id, span_id`,
    )
    const scorerOf = new Map(scorers.map((row) => [`${row.run_id}\u0000${row.span_id}`, row.scorer]))
    return labels.map((row) => ({
      ...row,
      metric: scorerOf.get(`${row.run_id}\u0000${row.first_span}`) ?? null,
    }))
  })
  const ranked = groups.some((group) => group.metric !== null)
    ? await db.database.query<RankRow>(
        `WITH ok AS (${ok}),
         choice(run_id, label, metric) AS (
           VALUES ${groups.map(() => '(?::VARCHAR, ?::VARCHAR, ?::VARCHAR)').join(', ')}
         ),
         scored AS (
           SELECT run_id, span_id, name, avg(value) AS v FROM metrics
           WHERE run_id IN (${scope}) AND name IN (SELECT metric FROM choice)
           GROUP BY run_id, span_id, name
         ),
         top AS (
           SELECT ok.run_id, ok.label,
             ${query.descending ? 'max_by' : 'min_by'}({ span_id: ok.span_id, name: ok.name, v: m.v }, m.v, ${Math.floor(query.topN)}) AS best
           FROM ok JOIN choice c ON c.run_id = ok.run_id AND c.label = ok.label
             JOIN scored m ON m.run_id = ok.run_id AND m.span_id = ok.span_id AND m.name = c.metric
           WHERE m.v IS NOT NULL
           GROUP BY ok.run_id, ok.label
         )
         SELECT run_id, label, b.span_id, b.name, b.v, row_number() OVER (PARTITION BY run_id, label ORDER BY n) AS rank
         FROM (SELECT run_id, label, unnest(best) AS b, generate_subscripts(best, 1) AS n FROM top)
         ORDER BY run_id, label, rank`,
        [
          ...scopeParams,
          ...labelParams,
          ...groups.flatMap((group) => [group.run_id, group.label, group.metric]),
          ...scopeParams,
        ],
      )
    : []
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
