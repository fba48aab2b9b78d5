/**
 * The top-N candidates of each task label in a run: successful task calls ranked by `rankBy[label]`, else
 * by the label's first scorer, else by the average of their metrics; with their input, output and scores.
 */
import type { DuckDBValue } from '@duckdb/node-api'
import { formatNumber, leftOut } from '../display-format.js'
import type { Database } from '../store/database.js'
import { metricDirection } from './metric-change.js'
import { cutSql, cutString, REPORT_BUDGET } from './report-budget.js'
import type { CandidateGroupView, CandidateView, ScoreView, TaskValuesView } from './report-model.js'
import { REPORT_LIMITS, type ResolvedReportOptions } from './report-options.js'
import { loadTaskValues, NO_VALUES, type SpansByRun, spanPairs } from './stored-values.js'

/** The candidate groups of one run, and how many labels it has in all. */
export interface RunCandidates {
  readonly groups: readonly CandidateGroupView[]
  readonly labels: number
}

/** How one label's candidates are ranked. */
export interface RankingChoice {
  /** The task-level metric ranked by; `undefined`: the average of all the span's metrics. */
  readonly metric: string | undefined
  readonly descending: boolean
  readonly basis: string
}

interface LabelRow {
  run_id: string
  label: string
  task_name: string
  total: bigint | number
  scorer: string | null
  labels: bigint | number
}

interface CandidateRow {
  run_id: string
  label: string
  span_id: string
  name: string
  rank_value: number | null
  rank: bigint | number
}

interface ScoreRow {
  span_id: string
  name: string
  value: number | null
}

/**
 * How a label's candidates are ranked: by `rankBy[label]` (a metric name, with or without the
 * `label.` prefix), else by its first scorer, else by average metric. Highest first, unless the
 * thresholds of `label.metric` say lower is better.
 */
export function rankingChoice(
  label: string,
  firstScorer: string | undefined,
  options: ResolvedReportOptions,
): RankingChoice {
  const configured = options.rankBy[label]
  const metric =
    configured === undefined
      ? firstScorer
      : configured.startsWith(`${label}.`)
        ? configured.slice(label.length + 1)
        : configured
  if (metric === undefined)
    return { metric: undefined, descending: true, basis: 'by average metric (highest first)' }
  const descending = metricDirection(`${label}.${metric}`, options.thresholds) === 'higher-is-better'
  const origin = configured === undefined ? 'first scorer' : 'rankBy'
  return {
    metric,
    descending,
    basis: `by ${metric} (${origin}, ${descending ? 'highest' : 'lowest'} first)`,
  }
}

/** Loads the top-N candidates of every task label of the session's runs in `runIds`, keyed by run id. */
export async function loadCandidates(
  database: Database,
  sessionId: string,
  runIds: ReadonlySet<string>,
  options: ResolvedReportOptions,
): Promise<Map<string, RunCandidates>> {
  const result = new Map<string, RunCandidates>()
  if (options.topN === 0) return result
  const labels = (
    await database.query<LabelRow>(
      `WITH ok AS (
       SELECT s.run_id, s.label, s.span_id, s.name FROM spans s
       WHERE s.kind = 'task' AND s.status = 'ok'
         AND s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)
     ),
     labels AS (
       SELECT run_id, label, min(name) AS task_name, count(*) AS total FROM ok GROUP BY run_id, label
     ),
     first_scorer AS (
       SELECT ok.run_id, ok.label, arg_min(m.name, m.seq) AS scorer
       FROM ok JOIN metrics m ON m.run_id = ok.run_id AND m.span_id = ok.span_id
       WHERE m.source = 'scorer'
       GROUP BY ok.run_id, ok.label
     )
     SELECT l.run_id, l.label, coalesce(${cutSql('l.task_name')}, '—') AS task_name, l.total, f.scorer,
       count(*) OVER (PARTITION BY l.run_id) AS labels
     FROM labels l LEFT JOIN first_scorer f ON f.run_id = l.run_id AND f.label = l.label
     QUALIFY row_number() OVER (PARTITION BY l.run_id ORDER BY l.label) <= ${REPORT_LIMITS.maxLabels}
     ORDER BY l.run_id, l.label`,
      [sessionId],
    )
  ).filter((row) => runIds.has(row.run_id))
  if (labels.length === 0) return result
  const choices = new Map<string, RankingChoice>()
  const params: DuckDBValue[] = []
  for (const row of labels) {
    const choice = rankingChoice(row.label, row.scorer ?? undefined, options)
    choices.set(`${row.run_id}\u0000${row.label}`, choice)
    params.push(row.run_id, row.label, choice.metric ?? null, choice.descending)
  }
  const candidates = await database.query<CandidateRow>(
    `WITH choice(run_id, label, metric, descending) AS (
       VALUES ${labels.map(() => '(?::VARCHAR, ?::VARCHAR, ?::VARCHAR, ?::BOOLEAN)').join(', ')}
     ),
     ranked AS (
       SELECT s.run_id, s.label, s.span_id, s.name, s.started_at, c.descending,
         CASE WHEN c.metric IS NULL THEN avg(m.value) ELSE avg(m.value) FILTER (WHERE m.name = c.metric) END
           AS rank_value
       FROM spans s
         JOIN choice c ON c.run_id = s.run_id AND c.label = s.label
         LEFT JOIN metrics m ON m.run_id = s.run_id AND m.span_id = s.span_id
       WHERE s.kind = 'task' AND s.status = 'ok'
       GROUP BY s.run_id, s.label, s.span_id, s.name, s.started_at, c.metric, c.descending
     )
     SELECT run_id, label, span_id, coalesce(${cutSql('name')}, '—') AS name, rank_value,
       row_number() OVER (
         PARTITION BY run_id, label
         ORDER BY CASE WHEN descending THEN -rank_value ELSE rank_value END ASC NULLS LAST,
           started_at, span_id
       ) AS rank
     FROM ranked
     QUALIFY rank <= ${options.topN}
     ORDER BY run_id, label, rank`,
    params,
  )
  const byRun = new Map<string, CandidateRow[]>()
  for (const row of candidates) {
    const list = byRun.get(row.run_id) ?? []
    list.push(row)
    byRun.set(row.run_id, list)
  }
  const labelsByRun = new Map<string, LabelRow[]>()
  for (const row of labels) {
    const list = labelsByRun.get(row.run_id) ?? []
    list.push(row)
    labelsByRun.set(row.run_id, list)
  }
  // One query for the values and one for the scores of every run's candidates.
  const wanted = new Map([...byRun].map(([runId, rows]) => [runId, rows.map((row) => row.span_id)]))
  const valuesByRun = await loadTaskValues(database, wanted, REPORT_LIMITS.candidateValueChars)
  const scoresByRun = await loadScores(database, wanted)
  for (const [runId, runLabels] of labelsByRun) {
    const rows = byRun.get(runId) ?? []
    const values = valuesByRun.get(runId) ?? new Map<string, TaskValuesView>()
    const scores = scoresByRun.get(runId) ?? new Map<string, ScoreRow[]>()
    const groups: CandidateGroupView[] = runLabels.map((label) => {
      const choice = choices.get(`${runId}\u0000${label.label}`) as RankingChoice
      const shown = rows.filter((row) => row.label === label.label)
      const total = Number(label.total)
      return {
        label: cutString(label.label ?? '—', REPORT_BUDGET.nameChars),
        taskName: label.task_name,
        basis: choice.basis,
        total: formatNumber(total),
        more: leftOut(total - shown.length, 'candidate'),
        candidates: shown.map((row) =>
          candidateView(row, choice, scores.get(row.span_id) ?? [], values.get(row.span_id) ?? NO_VALUES),
        ),
      }
    })
    result.set(runId, { groups, labels: Number(runLabels[0]?.labels ?? runLabels.length) })
  }
  return result
}

/**
 * Scores (task-level metrics, averaged per name) of the given spans, by run id then span id, in the order
 * first logged.
 */
async function loadScores(
  database: Database,
  spans: SpansByRun,
): Promise<Map<string, Map<string, ScoreRow[]>>> {
  const result = new Map<string, Map<string, ScoreRow[]>>()
  const wanted = spanPairs(spans)
  if (wanted.params.length === 0) return result
  const rows = await database.query<ScoreRow & { run_id: string }>(
    `WITH wanted(run_id, span_id) AS (VALUES ${wanted.values})
     SELECT m.run_id, m.span_id, m.name, avg(m.value) AS value
     FROM metrics m SEMI JOIN wanted w ON w.run_id = m.run_id AND w.span_id = m.span_id
     WHERE m.run_id IN (${wanted.runs})
     GROUP BY m.run_id, m.span_id, m.name
     ORDER BY m.run_id, m.span_id, min(m.seq), m.name`,
    [...wanted.params, ...wanted.runIds],
  )
  for (const row of rows) {
    let run = result.get(row.run_id)
    if (run === undefined) {
      run = new Map()
      result.set(row.run_id, run)
    }
    const list = run.get(row.span_id) ?? []
    list.push(row)
    run.set(row.span_id, list)
  }
  return result
}

function candidateView(
  row: CandidateRow,
  choice: RankingChoice,
  scores: readonly ScoreRow[],
  values: CandidateView['values'],
): CandidateView {
  // The score ranked by comes first, then the others in the order they were logged.
  const ordered = [
    ...scores.filter((score) => score.name === choice.metric),
    ...scores.filter((score) => score.name !== choice.metric),
  ]
  const shown: ScoreView[] = ordered.slice(0, REPORT_LIMITS.maxScores).map((score) => ({
    name: cutString(score.name ?? '—', REPORT_BUDGET.nameChars),
    value: formatNumber(score.value),
    ranked: score.name === choice.metric,
  }))
  return {
    rank: Number(row.rank),
    name: row.name,
    rankValue: formatNumber(row.rank_value),
    scores: shown,
    moreScores: leftOut(scores.length - shown.length, 'score'),
    values,
  }
}
