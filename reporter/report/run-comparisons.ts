/**
 * The report's "Compared with <baseline>" section of each run: the run paired input by input with the
 * same file's run in the baseline session (the `baseline` option, else the latest earlier session that ran
 * the file) — per key the difference with its 95% interval, p (Holm-adjusted across the session's keys)
 * and the verdict; and for the keys that moved most, the inputs that got worse and better most, with both
 * outputs side by side. Capped like the rest of the report.
 */

import { formatNumber, formatSigned, formatTime, leftOut } from '../display-format.js'
import { resolveSession } from '../gate/session-reference.js'
import { type ChangedInputView, type ComparedKey, compareRuns, type FilePair } from '../stats/compare-runs.js'
import type { ComparisonVerdict } from '../stats/comparison-verdict.js'
import { metricDirection } from '../stats/metric-direction.js'
import { intervalKey, intervalOfSide, type RunInterval } from '../stats/run-intervals.js'
import type { Database } from '../store/database.js'
import type { PreviousRun } from './metric-summaries.js'
import type {
  ChangedInputRowView,
  ChangedInputsView,
  ComparedKeyView,
  RunComparisonView,
  TextView,
} from './report-model.js'
import { REPORT_LIMITS, type ResolvedReportOptions } from './report-options.js'
import type { RunOverview } from './run-overview.js'
import { textView } from './text-view.js'

const VERDICT_ORDER: readonly ComparisonVerdict[] = [
  'regressed',
  'improved',
  'no_change',
  'insufficient_data',
]

/** The baseline run of each shown run, and the session it is in. */
interface Baseline {
  readonly runId: string
  readonly sessionId: string
  readonly startedAt: Date | null
}

/** The comparisons of the shown runs and the statistics of each of their keys. */
export interface RunStatistics {
  /** Keyed by run id; runs without a baseline run are absent. */
  readonly comparisons: Map<string, RunComparisonView>
  /** Keyed by `intervalKey(runId, key)`: the 95% interval of every key of every shown run. */
  readonly intervals: Map<string, RunInterval>
}

/**
 * Compares every shown run with its baseline run, and reads each run's statistics from the same query
 * (a run without a baseline is "compared" with nothing, which gives its own figures).
 */
export async function loadRunStatistics(
  database: Database,
  sessionId: string,
  runs: readonly RunOverview[],
  previous: ReadonlyMap<string, PreviousRun>,
  options: ResolvedReportOptions,
): Promise<RunStatistics> {
  const baselines = await baselineRuns(database, sessionId, runs, previous, options.baseline)
  const result = new Map<string, RunComparisonView>()
  const intervals = new Map<string, RunInterval>()
  if (runs.length === 0) return { comparisons: result, intervals }
  const pairs: FilePair[] = runs.map((run) => ({
    project: run.project,
    run: run.runId,
    baselineRunId: baselines.get(run.runId)?.runId,
    candidateRunId: run.runId,
  }))
  const keys = await compareRuns(database, pairs, {
    direction: (key) => metricDirection(key, options.thresholds),
    topInputs: REPORT_LIMITS.changedInputsPerSide,
    previewChars: REPORT_LIMITS.comparisonValueChars,
  })
  for (const key of keys) {
    const side = key.summary.candidate
    if (side !== undefined)
      intervals.set(intervalKey(key.run, key.key), intervalOfSide(key.run, key.key, side))
  }
  const compared = runs.filter((run) => baselines.has(run.runId))
  const tested = keys.filter((key) => key.pAdjusted !== undefined).length
  for (const run of compared) {
    const baseline = baselines.get(run.runId) as Baseline
    const runKeys = keys
      .filter((key) => key.run === run.runId)
      .sort(
        (a, b) =>
          VERDICT_ORDER.indexOf(a.verdict) - VERDICT_ORDER.indexOf(b.verdict) || a.key.localeCompare(b.key),
      )
    if (runKeys.length === 0) continue
    const shownKeys = runKeys.slice(0, REPORT_LIMITS.maxMetricKeys)
    const withInputs = runKeys
      .filter((key) => key.worsened.length + key.bettered.length > 0)
      .slice(0, REPORT_LIMITS.maxComparedKeysWithInputs)
    const keysWithChanges = runKeys.filter((key) => key.worsened.length + key.bettered.length > 0).length
    result.set(run.runId, {
      title:
        `Compared with session ${baseline.sessionId.slice(0, 8)}` +
        (baseline.startedAt === null ? '' : ` (${formatTime(baseline.startedAt)})`),
      basis:
        'per key: candidate − baseline over the inputs of both ' +
        '(paired by input key; Welch where the baseline has none) · 95% intervals · ' +
        `p adjusted by Holm over the ${tested} tested key${tested === 1 ? '' : 's'} of this report`,
      keys: shownKeys.map(keyView),
      moreKeys: leftOut(runKeys.length - shownKeys.length, 'compared key'),
      inputs: withInputs.map(inputsView),
      moreInputs: leftOut(
        keysWithChanges - withInputs.length,
        'key with changed inputs',
        'keys with changed inputs',
      ),
    })
  }
  return { comparisons: result, intervals }
}

async function baselineRuns(
  database: Database,
  sessionId: string,
  runs: readonly RunOverview[],
  previous: ReadonlyMap<string, PreviousRun>,
  reference: string | undefined,
): Promise<Map<string, Baseline>> {
  const result = new Map<string, Baseline>()
  if (reference === undefined) {
    for (const run of runs) {
      const before = previous.get(run.runId)
      if (before !== undefined)
        result.set(run.runId, {
          runId: before.runId,
          sessionId: before.sessionId,
          startedAt: before.startedAt,
        })
    }
    return result
  }
  const match = await resolveSession(database, reference, { relativeTo: sessionId }).catch(() => undefined)
  if (match === undefined) return result
  const rows = await database.query<{
    run_id: string
    project: string | null
    name: string
    started_at: Date | null
  }>(
    `SELECT r.run_id, r.project, r.name, s.started_at FROM runs r LEFT JOIN sessions s USING (session_id)
     WHERE r.session_id = ? AND r.status <> 'crashed'
     QUALIFY row_number() OVER (
       PARTITION BY r.project, r.name ORDER BY r.started_at DESC, r.run_id DESC
     ) = 1`,
    [match.sessionId],
  )
  for (const run of runs) {
    const found = rows.find((row) => row.project === run.project && row.name === run.name)
    if (found !== undefined) {
      result.set(run.runId, { runId: found.run_id, sessionId: match.sessionId, startedAt: found.started_at })
    }
  }
  return result
}

function keyView(key: ComparedKey): ComparedKeyView {
  const interval =
    key.ciLow === undefined || key.ciHigh === undefined
      ? ''
      : ` [${formatSigned(key.ciLow)}, ${formatSigned(key.ciHigh)}]`
  const holm =
    key.pAdjusted !== undefined && key.pAdjusted !== key.pValue ? ` (Holm ${formatP(key.pAdjusted)})` : ''
  return {
    name: key.key,
    n: key.method === 'Welch' ? `${key.nOnlyBaseline} | ${key.nOnlyCandidate}` : formatNumber(key.nPaired),
    baseline: formatNumber(key.baselineMean),
    candidate: formatNumber(key.candidateMean),
    diff: key.meanDiff === undefined ? '—' : `${formatSigned(key.meanDiff)}${interval}`,
    p: key.pValue === undefined ? '—' : `${formatP(key.pValue)}${holm}`,
    mde: key.mde === undefined ? '—' : formatNumber(key.mde),
    method: key.method === 'none' ? '—' : key.method,
    verdict: key.verdict.replace('_', ' '),
    verdictClass:
      key.verdict === 'regressed'
        ? 'regression'
        : key.verdict === 'improved'
          ? 'improvement'
          : key.verdict === 'no_change'
            ? 'same'
            : 'insufficient',
    notes: key.notes.join('; '),
  }
}

function inputsView(key: ComparedKey): ChangedInputsView {
  const worse = key.worsened.length
  const better = key.bettered.length
  return {
    key: key.key,
    heading: [worse > 0 ? `${worse} most regressed` : '', better > 0 ? `${better} most improved` : '']
      .filter((part) => part !== '')
      .join(', '),
    rows: [
      ...key.worsened.map((input) => rowView(input, 'regression')),
      ...key.bettered.map((input) => rowView(input, 'improvement')),
    ],
  }
}

function rowView(input: ChangedInputView, change: 'regression' | 'improvement'): ChangedInputRowView {
  return {
    diff: formatSigned(input.diff),
    change,
    scores: `${formatNumber(input.baseline)} → ${formatNumber(input.candidate)}`,
    input: input.views.input ?? placeholder(`input key ${input.inputKey}`),
    baselineOutput: input.views.baselineOutput ?? placeholder('(no output recorded)'),
    candidateOutput: input.views.candidateOutput ?? placeholder('(no output recorded)'),
  }
}

function placeholder(text: string): TextView {
  return textView({ text, fullLength: text.length })
}

function formatP(value: number): string {
  return value < 0.0001 ? '<0.0001' : value.toFixed(4)
}
