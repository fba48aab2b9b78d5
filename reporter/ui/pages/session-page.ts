/**
 * The Session page (`/session/<id>`): the session's facts, its runs with counts (each a link to its tasks),
 * its gate verdicts, and per run the metric summary with a histogram of each key and its change against the
 * previous session's run of the same file.
 */
import { countOf, formatDuration, formatNumber } from '../../display-format.js'
import type { HistogramView, MetricView } from '../../report/report-model.js'
import type { RunOverview } from '../../report/run-overview.js'
import { loadMetricSummaries, type RunMetricSummary } from '../data/metric-summaries.js'
import {
  findSession,
  type GateRow,
  loadSessionFacts,
  loadSessionGates,
  loadSessionRuns,
  previousSession,
  thresholdsOf,
} from '../data/session-detail.js'
import { type Html, html, joinHtml } from '../html.js'
import { type PageContext, type PageResponse, pageResponse } from '../server/page-context.js'
import { gateBadge, gitShaText, shortId, spanOf, statusBadge, timeText } from './fragments.js'
import { candidatesUrl, compareUrl, failuresUrl, sessionUrl, tasksUrl } from './links.js'

/** Renders the Session page. */
export async function sessionPage(context: PageContext): Promise<PageResponse> {
  const reference = context.params.session ?? ''
  return context.lease.use(async (db) => {
    const lookup = await findSession(db, reference)
    if ('redirect' in lookup) return { redirect: sessionUrl(lookup.redirect) }
    const sessionId = lookup.found
    const facts = await loadSessionFacts(db, sessionId)
    const runs = await loadSessionRuns(db, sessionId)
    const gates = await loadSessionGates(db, sessionId)
    const summaries = await loadMetricSummaries(db, sessionId, thresholdsOf(gates))
    const previous = await previousSession(db, sessionId)
    const tasks = runs.reduce((sum, run) => sum + run.tasks, 0)
    const failed = runs.reduce((sum, run) => sum + run.failedTasks, 0)
    const failedGates = gates.filter((gate) => !gate.passed).length
    const body = html`<div class="crumbs"><a href="/">Sessions</a> › session ${shortId(sessionId)}</div>
<h1>Session ${timeText(facts.startedAt)} ${statusBadge(facts.status)} ${gateBadge(facts.gatePassed, failedGates)}</h1>
${facts.recorded ? '' : html`<p class="callout">This session is still being recorded (its runs are landing, its summary row is not written yet). This page shows what has landed so far.</p>`}
<dl class="facts">
<div><dt>Duration</dt><dd>${spanOf(facts.startedAt, facts.endedAt)}</dd></div>
<div><dt>Git commit</dt><dd>${gitShaText(facts.gitSha)}</dd></div>
<div><dt>Contents</dt><dd>${countOf(runs.length, 'run')} · ${countOf(tasks, 'task')} · ${failed === 0 ? 'no failed tasks' : countOf(failed, 'failed task')}</dd></div>
<div><dt>Versions</dt><dd>strikes ${facts.strikesVersion ?? '—'} · vitest ${facts.vitestVersion ?? '—'}</dd></div>
<div><dt>Root</dt><dd><code>${facts.root ?? '—'}</code></dd></div>
<div><dt>Session id</dt><dd><code>${sessionId}</code></dd></div>
</dl>
<nav class="actions" aria-label="Views of this session">
<a href="${tasksUrl(sessionId)}">All ${countOf(tasks, 'task')}</a>
<a href="${failuresUrl(sessionId)}">Failures (${formatNumber(failed)})</a>
<a href="${candidatesUrl(sessionId)}">Top candidates</a>
${previous === undefined ? html`<span class="muted">no earlier session to compare with</span>` : html`<a href="${compareUrl({ base: previous, cand: sessionId })}">Compare with the previous session</a>`}
</nav>
<h2>Runs</h2>
${runsTable(sessionId, runs)}
${gatesSection(gates)}
<h2>Metric summaries</h2>
${runs.length === 0 ? html`<p class="muted">No runs.</p>` : joinHtml(runs.map((run) => summarySection(sessionId, run, summaries.get(run.runId))))}
<p class="note">The same session as a static page: <code>npx strikes report --session ${sessionId.slice(0, 8)}</code></p>`
    return pageResponse(db, context, {
      title: `Session ${sessionId.slice(0, 8)}`,
      section: 'sessions',
      kind: 'session',
      body,
    })
  })
}

function runsTable(sessionId: string, runs: readonly RunOverview[]): Html {
  if (runs.length === 0) return html`<p class="muted">No runs landed yet.</p>`
  const rows = runs.map(
    (run) => html`<tr data-href="${tasksUrl(sessionId, { run: run.runId })}">
<th scope="row" class="name"><a href="${tasksUrl(sessionId, { run: run.runId })}">${run.name}</a>${run.project === null ? '' : html` <span class="muted">${run.project}</span>`}</th>
<td>${statusBadge(run.status)}</td>
<td class="num">${formatNumber(run.tasks)}</td>
<td class="num">${run.failedTasks === 0 ? html`<span class="muted">0</span>` : html`<a class="fail" href="${failuresUrl(sessionId, { run: run.runId })}">${formatNumber(run.failedTasks)}</a>`}</td>
<td class="num">${formatNumber(run.tests)}</td>
<td class="num">${run.failedTests === 0 ? html`<span class="muted">0</span>` : html`<span class="fail">${formatNumber(run.failedTests)}</span>`}</td>
<td class="num">${formatDuration(run.durationMs)}</td>
<td>${joinHtml(
      run.tags.map((tag) => html`<span class="tag">${tag}</span>`),
      ' ',
    )}</td>
</tr>`,
  )
  return html`<div class="scroll"><table class="rows"><thead><tr><th scope="col">Run (eval file)</th><th scope="col">Status</th><th scope="col" class="num">Tasks</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Tests</th><th scope="col" class="num">Failed tests</th><th scope="col" class="num">Duration</th><th scope="col">Tags</th></tr></thead>
<tbody>${joinHtml(rows)}</tbody></table></div>`
}

function gatesSection(gates: readonly GateRow[]): Html {
  if (gates.length === 0)
    return html`<h2>Gates</h2><p class="muted">No gates were evaluated for this session.</p>`
  const rows = gates.map(
    (gate) => html`<tr class="${gate.passed ? '' : 'regression'}">
<td><span class="badge ${gate.passed ? 'passed' : 'failed'}">${gate.verdict}</span></td>
<th scope="row"><code>${gate.key}</code></th>
<td>${gate.run ?? html`<span class="muted">—</span>`}</td>
<td><code>${gate.expression}</code></td>
<td class="num">${formatNumber(gate.observed)}</td>
<td class="num">${formatNumber(gate.expected)}</td>
<td>${gate.baselineSessionId === null ? '' : html`<a href="${sessionUrl(gate.baselineSessionId)}">${shortId(gate.baselineSessionId)}</a>`}</td>
<td class="name">${gate.message ?? ''}</td>
</tr>`,
  )
  return html`<h2>Gates</h2><div class="scroll"><table class="rows gates"><thead><tr><th scope="col">Verdict</th><th scope="col">Key</th><th scope="col">Run</th><th scope="col">Expression</th><th scope="col" class="num">Observed</th><th scope="col" class="num">Expected</th><th scope="col">Baseline</th><th scope="col">Message</th></tr></thead>
<tbody>${joinHtml(rows)}</tbody></table></div>`
}

function summarySection(sessionId: string, run: RunOverview, summary: RunMetricSummary | undefined): Html {
  const title = html`<h3><a href="${tasksUrl(sessionId, { run: run.runId })}">${run.name}</a>${summary !== undefined && summary.regressions > 0 ? html` <span class="fail">${countOf(summary.regressions, 'regression')}</span>` : ''}</h3>`
  if (summary === undefined || summary.metrics.length === 0)
    return html`${title}<p class="muted">No run-level metrics.</p>`
  return html`${title}<div class="scroll"><table class="rows metrics"><thead><tr><th scope="col">Key</th><th scope="col" class="num">Count</th><th scope="col" class="num">Mean</th><th scope="col" class="num">95% interval</th><th scope="col" class="num">Min</th><th scope="col" class="num">p50</th><th scope="col" class="num">p95</th><th scope="col" class="num">Max</th><th scope="col">Distribution</th><th scope="col">Change</th></tr></thead>
<tbody>${joinHtml(summary.metrics.map(metricRow))}</tbody></table></div>${summary.more === '' ? '' : html`<p class="note">${summary.more}</p>`}`
}

function metricRow(metric: MetricView): Html {
  const change = metric.change
  return html`<tr class="${metric.regression ? 'regression' : ''}">
<th scope="row"><code>${metric.name}</code></th>
<td class="num">${metric.count}</td><td class="num">${metric.avg}</td><td class="num ci">${metric.ci}${metric.ciNote === '' ? '' : html`<div class="note">${metric.ciNote}</div>`}</td><td class="num">${metric.min}</td><td class="num">${metric.p50}</td><td class="num">${metric.p95}</td><td class="num">${metric.max}</td>
<td>${histogram(metric.histogram)}</td>
<td>${change === undefined ? html`<span class="muted">—</span>` : html`<span class="delta ${change.changeClass}" title="${change.title}">${change.arrow} ${change.delta}</span>`}</td>
</tr>`
}

/** A distribution as a small SVG bar chart. */
export function histogram(view: HistogramView): Html {
  const bars = view.bars.map(
    (bar) =>
      html`<rect x="${bar.x}" y="${bar.y}" width="${bar.width}" height="${bar.height}"><title>${bar.title}</title></rect>`,
  )
  return html`<svg class="hist" width="${view.width}" height="${view.height}" viewBox="0 0 ${view.width} ${view.height}" role="img" aria-label="${view.label}"><title>${view.label}</title>${joinHtml(bars)}</svg>`
}
