/**
 * Reads everything a session's report shows from the database, aggregated in SQL and capped per run and
 * across the report, with its text within the report's budget (see `report-budget.ts`).
 */

import { countOf, formatDuration, formatTime, leftOut } from '../display-format.js'
import { strikesVersion } from '../package-info.js'
import type { Database } from '../store/database.js'
import { loadCandidates, type RunCandidates } from './candidates.js'
import { loadFailures } from './failures.js'
import { loadFlakyTests } from './flaky-tests.js'
import { loadMetricSummaries, loadPreviousRuns } from './metric-summaries.js'
import { boundReportText, REPORT_BUDGET } from './report-budget.js'
import type { ReportModel, RunView } from './report-model.js'
import { REPORT_LIMITS, type ResolvedReportOptions } from './report-options.js'
import { loadRunStatistics } from './run-comparisons.js'
import { loadRunOverviews } from './run-overview.js'
import { loadSessionView, type ReportSessionFacts, statusClass } from './session-header.js'
import { textView } from './text-view.js'

const PARAMS_CHARS = 400

/** Loads the view model of a session's report. */
export async function loadReportModel(
  database: Database,
  sessionId: string,
  options: ResolvedReportOptions,
  facts: ReportSessionFacts = {},
): Promise<ReportModel> {
  const session = await loadSessionView(database, sessionId, facts)
  const overviews = await loadRunOverviews(database, sessionId, REPORT_LIMITS.maxRuns)
  const previous = await loadPreviousRuns(database, sessionId)
  const statistics = await loadRunStatistics(database, sessionId, overviews, previous, options)
  const metrics = await loadMetricSummaries(database, sessionId, options, statistics.intervals)
  const shown = new Set(overviews.map((run) => run.runId))
  const failures = await loadFailures(database, sessionId, shown)
  const flaky = await loadFlakyTests(database, sessionId, shown)
  const candidates = await loadCandidates(database, sessionId, shown, options)
  // Caps across all runs (see report-budget.ts): what a run shows is cut once the report's share is spent.
  let failuresLeft: number = REPORT_BUDGET.maxFailures
  let candidatesLeft: number = REPORT_BUDGET.maxCandidates
  let keysLeft: number = REPORT_BUDGET.maxMetricKeys
  const runs: RunView[] = overviews.map((run, index) => {
    const allMetrics = metrics.get(run.runId)
    const shownMetrics = allMetrics?.metrics.slice(0, Math.max(0, keysLeft)) ?? []
    const runMetrics =
      allMetrics === undefined
        ? undefined
        : {
            ...allMetrics,
            metrics: shownMetrics,
            more: leftOut(allMetrics.keys - shownMetrics.length, 'metric key'),
          }
    keysLeft -= shownMetrics.length
    const allFailures = failures.get(run.runId)
    const runFailures =
      allFailures === undefined
        ? undefined
        : { ...allFailures, failures: allFailures.failures.slice(0, Math.max(0, failuresLeft)) }
    failuresLeft -= runFailures?.failures.length ?? 0
    const runCandidates = capCandidates(candidates.get(run.runId), candidatesLeft)
    candidatesLeft -= runCandidates?.shown ?? 0
    const before = previous.get(run.runId)
    const failureTotal = runFailures?.total ?? 0
    return {
      anchor: `run-${index + 1}`,
      name: run.name,
      project: run.project ?? '—',
      status: run.status,
      statusClass: statusClass(run.status),
      duration: formatDuration(run.durationMs),
      tasks: countOf(run.tasks, 'task'),
      failedTasks: run.failedTasks,
      failedTasksText: run.failedTasks === 0 ? '' : `${countOf(run.failedTasks, 'failed', 'failed')}`,
      tests: countOf(run.tests, 'test'),
      failedTestsText: run.failedTests === 0 ? '' : `${countOf(run.failedTests, 'failed', 'failed')}`,
      flakyTestsText: run.flakyTests === 0 ? '' : countOf(run.flakyTests, 'flaky', 'flaky'),
      flakyTests: flaky.get(run.runId) ?? [],
      error:
        run.error === null || run.error === ''
          ? undefined
          : textView({ text: run.error, fullLength: run.errorLength }),
      params:
        run.params === null
          ? ''
          : run.paramsChars > PARAMS_CHARS
            ? `${run.params.slice(0, PARAMS_CHARS)}… (${run.paramsChars} characters)`
            : run.params,
      tags: run.tags,
      crashed: run.status === 'crashed',
      previous:
        before === undefined
          ? 'no earlier session of this file to compare with'
          : `compared with session ${before.sessionId.slice(0, 8)} (${formatTime(before.startedAt)})`,
      metrics: runMetrics?.metrics ?? [],
      moreMetrics: runMetrics?.more ?? '',
      comparison: statistics.comparisons.get(run.runId),
      regressions: runMetrics?.regressions ?? 0,
      regressionText:
        (runMetrics?.regressions ?? 0) === 0 ? '' : countOf(runMetrics?.regressions ?? 0, 'regression'),
      failures: runFailures?.failures ?? [],
      failureCount: countOf(failureTotal, 'failure'),
      moreFailures: leftOut(failureTotal - (runFailures?.failures.length ?? 0), 'failure'),
      candidateGroups: runCandidates?.groups ?? [],
      moreLabels: leftOut((runCandidates?.labels ?? 0) - (runCandidates?.groups.length ?? 0), 'task label'),
    }
  })
  return boundReportText({
    session,
    runs,
    moreRuns: leftOut((overviews[0]?.runs ?? 0) - overviews.length, 'run'),
    generatedAt: formatTime(new Date()),
    strikesVersion: strikesVersion(),
    topN: options.topN,
  })
}

/** A run's candidate groups with at most `left` candidates in all (the rest counted in each group's `more`). */
function capCandidates(
  all: RunCandidates | undefined,
  left: number,
): (RunCandidates & { shown: number }) | undefined {
  if (all === undefined) return undefined
  let room = Math.max(0, left)
  let shown = 0
  const groups = all.groups.map((group) => {
    const candidates = group.candidates.slice(0, room)
    room -= candidates.length
    shown += candidates.length
    if (candidates.length === group.candidates.length) return group
    const total = Number(group.total.replaceAll(',', ''))
    return { ...group, candidates, more: leftOut(total - candidates.length, 'candidate') }
  })
  return { ...all, groups, shown }
}
