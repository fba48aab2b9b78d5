/** Reads everything a session's report shows from the database, aggregated in SQL and capped. */

import { countOf, formatDuration, formatTime, leftOut } from '../display-format.js'
import { strikesVersion } from '../package-info.js'
import type { Database } from '../store/database.js'
import { loadCandidates } from './candidates.js'
import { loadFailures } from './failures.js'
import { loadFlakyTests } from './flaky-tests.js'
import { loadMetricSummaries, loadPreviousRuns } from './metric-summaries.js'
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
  const runs: RunView[] = overviews.map((run, index) => {
    const runMetrics = metrics.get(run.runId)
    const runFailures = failures.get(run.runId)
    const runCandidates = candidates.get(run.runId)
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
          : run.params.length > PARAMS_CHARS
            ? `${run.params.slice(0, PARAMS_CHARS)}… (${run.params.length} characters)`
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
  return {
    session,
    runs,
    moreRuns: leftOut((overviews[0]?.runs ?? 0) - overviews.length, 'run'),
    generatedAt: formatTime(new Date()),
    strikesVersion: strikesVersion(),
    topN: options.topN,
  }
}
