/**
 * The metric summary of each run: per run-level key the `metric_summary` statistics, the distribution of
 * raw values (binned in SQL), and the change against the previous session's run of the same file.
 */
import { countOf, formatNumber, leftOut } from '../display-format.js'
import { intervalKey, type RunInterval } from '../stats/run-intervals.js'
import type { Database } from '../store/database.js'
import { binExpression, type HistogramBin, histogramView } from './histogram.js'
import { metricChange, metricDirection } from './metric-change.js'
import { cutString, REPORT_BUDGET } from './report-budget.js'
import type { MetricView } from './report-model.js'
import { REPORT_LIMITS, type ResolvedReportOptions } from './report-options.js'

/** The metric summary of one run. */
export interface RunMetrics {
  readonly metrics: readonly MetricView[]
  readonly more: string
  readonly regressions: number
  /** How many run-level keys the run has in all. */
  readonly keys: number
}

/** The run of the same file (same project and name) in the latest earlier session. */
export interface PreviousRun {
  readonly runId: string
  readonly sessionId: string
  readonly startedAt: Date | null
}

/** A run-level key's statistics as read in SQL, with the mean of the previous session's run. */
export interface MetricSummaryRow {
  run_id: string
  name: string
  count: bigint | number
  avg: number | null
  min: number | null
  max: number | null
  p50: number | null
  p95: number | null
  keys: bigint | number
  prev_avg: number | null
}

/** One histogram bin of a run-level key as counted in SQL. */
export interface MetricBinRow {
  run_id: string
  name: string
  bin: number
  n: bigint | number
}

/**
 * SQL: the runs of session `$1` with the run of the same file in the latest earlier session — earlier in
 * the order sessions were recorded (`sessions.seq`), never by their clocks; a session without a row yet
 * (the one being recorded) comes after every other.
 */
const PREVIOUS_RUNS = `
  cur AS (SELECT run_id, project, name FROM runs WHERE session_id = $1),
  cur_seq AS (SELECT max(seq) AS seq FROM sessions WHERE session_id = $1),
  prev AS (
    SELECT c.run_id, p.run_id AS prev_run_id, p.session_id AS prev_session_id,
      p.started_at AS prev_started_at
    FROM cur c JOIN runs p ON p.project IS NOT DISTINCT FROM c.project AND p.name = c.name
      AND p.session_id <> $1
      JOIN sessions ps ON ps.session_id = p.session_id
    WHERE (SELECT seq FROM cur_seq) IS NULL OR ps.seq < (SELECT seq FROM cur_seq)
    QUALIFY row_number() OVER (
      PARTITION BY c.run_id ORDER BY ps.seq DESC, p.started_at DESC, p.run_id DESC
    ) = 1
  )`

/**
 * SQL: the shown keys of each run of the session (at most `maxMetricKeys`), with the count of all keys —
 * chosen by name first and summarised after (as `metric_summary` does), so that a run of a million keys
 * costs the summaries of sixty.
 */
const SHOWN_KEYS = `
  shown_keys AS (
    SELECT run_id, name, count(*) OVER (PARTITION BY run_id) AS keys
    FROM (SELECT DISTINCT run_id, name FROM run_metrics WHERE run_id IN (SELECT run_id FROM cur))
    QUALIFY row_number() OVER (PARTITION BY run_id ORDER BY name) <= ${REPORT_LIMITS.maxMetricKeys}
  ),
  summary AS (
    SELECT m.run_id, m.name, count(*) AS count, avg(m.raw_value) AS avg, min(m.raw_value) AS min,
      max(m.raw_value) AS max, quantile_cont(m.raw_value, 0.5) AS p50,
      quantile_cont(m.raw_value, 0.95) AS p95,
      any_value(k.keys) AS keys
    FROM run_metrics m JOIN shown_keys k ON k.run_id = m.run_id AND k.name = m.name
    GROUP BY m.run_id, m.name
  )`

/** For each run of the session, the run of the same file in the latest earlier session. */
export async function loadPreviousRuns(
  database: Database,
  sessionId: string,
): Promise<Map<string, PreviousRun>> {
  const rows = await database.query<{
    run_id: string
    prev_run_id: string
    prev_session_id: string
    prev_started_at: Date | null
  }>(`WITH ${PREVIOUS_RUNS} SELECT * FROM prev`, [sessionId])
  return new Map(
    rows.map((row) => [
      row.run_id,
      { runId: row.prev_run_id, sessionId: row.prev_session_id, startedAt: row.prev_started_at },
    ]),
  )
}

/**
 * Loads the metric summary of every run of the session, keyed by run id; `intervals` from
 * `loadRunStatistics`.
 */
export async function loadMetricSummaries(
  database: Database,
  sessionId: string,
  options: ResolvedReportOptions,
  intervals: ReadonlyMap<string, RunInterval> = new Map(),
): Promise<Map<string, RunMetrics>> {
  const summaries = await database.query<MetricSummaryRow>(
    `WITH ${PREVIOUS_RUNS}, ${SHOWN_KEYS},
     prev_summary AS (
       SELECT m.run_id, m.name, avg(m.raw_value) AS avg FROM run_metrics m
       WHERE m.run_id IN (SELECT prev_run_id FROM prev) AND m.name IN (SELECT name FROM shown_keys)
       GROUP BY m.run_id, m.name
     )
     SELECT s.run_id, s.name, s.count, s.avg, s.min, s.max, s.p50, s.p95, s.keys, ps.avg AS prev_avg
     FROM summary s
       LEFT JOIN prev ON prev.run_id = s.run_id
       LEFT JOIN prev_summary ps ON ps.run_id = prev.prev_run_id AND ps.name = s.name
     ORDER BY s.run_id, s.name`,
    [sessionId],
  )
  const bins = REPORT_LIMITS.histogramBins
  const binRows = await database.query<MetricBinRow>(
    `WITH ${PREVIOUS_RUNS}, ${SHOWN_KEYS}
     SELECT r.run_id, r.name, ${binExpression('r.raw_value', 's.min', 's.max', bins)} AS bin, count(*) AS n
     FROM run_metrics r JOIN summary s ON s.run_id = r.run_id AND s.name = r.name
     WHERE r.raw_value IS NOT NULL
     GROUP BY ALL`,
    [sessionId],
  )
  return runMetricViews(summaries, binRows, {
    bins,
    thresholds: options.thresholds,
    intervals,
    nameOf: (name) => cutString(name ?? '—', REPORT_BUDGET.nameChars),
    rangeOf: (row) => [row.min ?? 0, row.max ?? 0],
  })
}

/** How {@link runMetricViews} shows the keys. */
export interface MetricViewOptions {
  /** Bins the histograms were counted in. */
  readonly bins: number
  /** The metric thresholds, for the direction in which a key's change is a regression. */
  readonly thresholds: Readonly<Record<string, readonly string[]>>
  /** Intervals of the means over inputs, keyed by `intervalKey`. */
  readonly intervals: ReadonlyMap<string, RunInterval>
  /** A key's name as shown. */
  readonly nameOf: (name: string) => string
  /** The range a key's histogram spans. */
  readonly rangeOf: (row: MetricSummaryRow) => readonly [number, number]
}

/**
 * The metric table of each run, keyed by run id, from its summary rows (in run and name order, each
 * carrying the run's count of keys) and their histogram bins.
 */
export function runMetricViews(
  rows: readonly MetricSummaryRow[],
  binRows: readonly MetricBinRow[],
  options: MetricViewOptions,
): Map<string, RunMetrics> {
  const binsByKey = new Map<string, HistogramBin[]>()
  for (const row of binRows) {
    const key = `${row.run_id}\u0000${row.name}`
    const list = binsByKey.get(key) ?? []
    list.push({ bin: Number(row.bin), count: Number(row.n) })
    binsByKey.set(key, list)
  }
  const result = new Map<string, { metrics: MetricView[]; keys: number; regressions: number }>()
  for (const row of rows) {
    let entry = result.get(row.run_id)
    if (entry === undefined) {
      entry = { metrics: [], keys: Number(row.keys), regressions: 0 }
      result.set(row.run_id, entry)
    }
    const change = metricChange(row.avg, row.prev_avg, metricDirection(row.name, options.thresholds))
    if (change?.regression === true) entry.regressions += 1
    const [low, high] = options.rangeOf(row)
    entry.metrics.push({
      name: options.nameOf(row.name),
      count: formatNumber(Number(row.count)),
      avg: formatNumber(row.avg),
      min: formatNumber(row.min),
      max: formatNumber(row.max),
      p50: formatNumber(row.p50),
      p95: formatNumber(row.p95),
      ...intervalView(options.intervals.get(intervalKey(row.run_id, row.name)), row.avg),
      histogram: histogramView(
        row.name,
        low,
        high,
        options.bins,
        binsByKey.get(`${row.run_id}\u0000${row.name}`) ?? [],
      ),
      change,
      regression: change?.regression === true,
    })
  }
  return new Map(
    [...result].map(([runId, entry]) => [
      runId,
      {
        metrics: entry.metrics,
        more: leftOut(entry.keys - entry.metrics.length, 'metric key'),
        keys: entry.keys,
        regressions: entry.regressions,
      },
    ]),
  )
}

/** The 95% interval of the mean over inputs and what it rests on, as the metric table shows them. */
export function intervalView(
  stats: RunInterval | undefined,
  avg: number | null,
): { ci: string; ciNote: string } {
  if (stats === undefined) return { ci: '—', ciNote: '' }
  const parts: string[] = []
  if (stats.nInputs > 0) {
    parts.push(
      `${countOf(stats.nInputs, 'input')}${stats.maxTrials > 1 ? ` × up to ${stats.maxTrials} trials` : ''}`,
    )
  }
  if (stats.interval === 'wilson') parts.push('Wilson')
  if (
    stats.mean !== undefined &&
    avg !== null &&
    Math.abs(stats.mean - avg) > 1e-9 * Math.max(1, Math.abs(avg))
  ) {
    parts.push(`mean over inputs ${formatNumber(stats.mean)}`)
  }
  if (stats.nCached > 0) parts.push(`${countOf(stats.nCached, 'cached call')} left out`)
  if (stats.nNonFinite > 0) parts.push(`${countOf(stats.nNonFinite, 'NaN/Infinity point')} left out`)
  if (stats.nInputs === 1 && stats.interval === undefined) parts.push('one input: no interval')
  const ci =
    stats.ciLow === undefined || stats.ciHigh === undefined
      ? '—'
      : `[${formatNumber(stats.ciLow)}, ${formatNumber(stats.ciHigh)}]`
  return { ci, ciNote: parts.join(' · ') }
}
