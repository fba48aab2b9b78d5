/**
 * The Top candidates page (`/session/<id>/candidates?run=&label=&by=&order=&n=`): per task label the best
 * (or worst) `n` successful calls by a metric, with their input, output and score.
 */
import { countOf, formatNumber } from '../../display-format.js'
import { type CandidateGroup, loadCandidates } from '../data/candidates.js'
import { findSession } from '../data/session-detail.js'
import { loadSpanValues, spanKey } from '../data/span-values.js'
import { loadListOptions } from '../data/task-list.js'
import { type Html, html, joinHtml } from '../html.js'
import {
  choiceParam,
  intParam,
  type PageContext,
  type PageResponse,
  pageResponse,
  textParam,
} from '../server/page-context.js'
import { shortId } from './fragments.js'
import { candidatesUrl, sessionUrl, spanUrl, tasksUrl } from './links.js'
import { valuesBlock } from './value-view.js'

/** Renders the Top candidates page. */
export async function candidatesPage(context: PageContext): Promise<PageResponse> {
  const { url } = context
  return context.lease.use(async (db) => {
    const lookup = await findSession(db, context.params.session ?? '')
    if ('redirect' in lookup)
      return { redirect: candidatesUrl(lookup.redirect, Object.fromEntries(url.searchParams)) }
    const sessionId = lookup.found
    const runId = textParam(url, 'run')
    const label = textParam(url, 'label')
    const metric = textParam(url, 'by')
    const order = choiceParam(url, 'order', ['desc', 'asc'], 'desc')
    const topN = intParam(url, 'n', 5, 1, 50)
    const options = await loadListOptions(db, sessionId)
    const { groups, labels } = await loadCandidates(db, {
      sessionId,
      runId,
      label,
      metric,
      descending: order === 'desc',
      topN,
    })
    const refs = groups.flatMap((group) =>
      group.candidates.map((candidate) => ({ runId: group.runId, spanId: candidate.spanId })),
    )
    const values = await loadSpanValues(db, refs, { chars: 1_000, perSpan: 3 })
    const select = (
      name: string,
      text: string,
      current: string | undefined,
      entries: readonly (readonly [string, string])[],
      any: string,
    ) =>
      html`<label>${text}<select name="${name}" data-autosubmit><option value=""${current === undefined ? html` selected` : ''}>${any}</option>${joinHtml(entries.map(([value, shown]) => html`<option value="${value}"${current === value ? html` selected` : ''}>${shown}</option>`))}</select></label>`
    const body = html`<div class="crumbs"><a href="/">Sessions</a> › <a href="${sessionUrl(sessionId)}">session ${shortId(sessionId)}</a> › top candidates</div>
<h1>Top candidates</h1>
<form class="filters" method="get" action="${candidatesUrl(sessionId)}">
${select(
  'run',
  'Run',
  runId,
  options.runs.map((run) => [run.id, run.name] as const),
  'all runs',
)}
${select(
  'label',
  'Label',
  label,
  options.labels.map((entry) => [entry, entry] as const),
  'every label',
)}
${select(
  'by',
  'Ranked by',
  metric,
  options.metrics.map((name) => [name, name] as const),
  "each label's first scorer",
)}
<label>Order<select name="order" data-autosubmit><option value="desc"${order === 'desc' ? html` selected` : ''}>highest first</option><option value="asc"${order === 'asc' ? html` selected` : ''}>lowest first</option></select></label>
<label>How many<input class="short" type="number" name="n" min="1" max="50" value="${topN}"></label>
<button type="submit">Apply</button>
</form>
${groups.length === 0 ? html`<p class="muted">No successful task calls match.</p>` : joinHtml(groups.map((group) => groupView(sessionId, group, order, values)))}
${labels > groups.length ? html`<p class="note">and ${countOf(labels - groups.length, 'more label')}: pick a run or a label above</p>` : ''}`
    return pageResponse(db, context, {
      title: `Top candidates · session ${sessionId.slice(0, 8)}`,
      section: 'sessions',
      kind: 'candidates',
      body,
    })
  })
}

function groupView(
  sessionId: string,
  group: CandidateGroup,
  order: 'asc' | 'desc',
  values: Awaited<ReturnType<typeof loadSpanValues>>,
): Html {
  const basis =
    group.metric === null
      ? 'no metric to rank by'
      : `by ${group.metric}, ${order === 'desc' ? 'highest' : 'lowest'} first`
  const rows = group.candidates.map((candidate) => {
    const view = values.get(spanKey({ runId: group.runId, spanId: candidate.spanId }))
    return html`<tr><td class="num"><b>${candidate.rank}</b></td><td class="num">${formatNumber(candidate.value)}</td><td><a href="${spanUrl(group.runId, candidate.spanId)}">${candidate.name}</a></td><td>${valuesBlock(view)}</td></tr>`
  })
  return html`<section class="group"><h2><code>${group.label}</code> <span class="muted">${group.taskName}</span> in ${group.run}</h2>
<p class="note">${basis} · ${countOf(group.total, 'successful call')} · <a href="${tasksUrl(sessionId, { run: group.runId, label: group.label, status: 'ok', sort: group.metric === null ? undefined : `metric:${group.metric}`, dir: order })}">all of them as a table</a></p>
${rows.length === 0 ? html`<p class="muted">None scored by ${group.metric ?? 'any metric'}.</p>` : html`<div class="scroll"><table class="rows"><thead><tr><th scope="col" class="num">Rank</th><th scope="col" class="num">${group.metric ?? 'Score'}</th><th scope="col">Task</th><th scope="col">Input and output</th></tr></thead><tbody>${joinHtml(rows)}</tbody></table></div>`}
</section>`
}
