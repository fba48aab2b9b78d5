/**
 * The Sessions page (`/`): sessions newest first, a page at a time, with status, gates, git sha, duration
 * and counts; above them the trend of chosen keys across the newest sessions (`?key=…&key=…&window=30`).
 */
import { countOf, formatNumber } from '../../display-format.js'
import { formatSessionCursor, loadSessionPage, parseSessionCursor } from '../data/session-list.js'
import { loadTrend, loadTrendKeys, loadTrendWindow, type TrendKey } from '../data/trend.js'
import { type Html, html, joinHtml } from '../html.js'
import { intParam, type PageContext, type PageResponse, pageResponse } from '../server/page-context.js'
import { gateBadge, gitShaText, shortId, spanOf, statusBadge, timeText } from './fragments.js'
import { compareUrl, failuresUrl, sessionsUrl, sessionUrl, tasksUrl } from './links.js'
import { trendChart } from './trend-chart.js'

const PAGE_SIZE = 25
const WINDOWS = [10, 30, 100] as const
/** Keys charted when the address names none. */
const DEFAULT_KEYS = 3

/** Renders the Sessions page. */
export async function sessionsPage(context: PageContext): Promise<PageResponse> {
  const { url } = context
  const limit = intParam(url, 'limit', PAGE_SIZE, 1, 200)
  const windowSize = intParam(url, 'window', 30, 2, 500)
  const before = parseSessionCursor(url.searchParams.get('before'))
  const chosen = url.searchParams
    .getAll('key')
    .filter((key) => key !== '')
    .slice(0, 12)
  return context.lease.use(async (db) => {
    const page = await loadSessionPage(db, limit, before)
    const window = await loadTrendWindow(db, windowSize)
    const keys = await loadTrendKeys(db, window)
    const shownKeys = chosen.length > 0 ? chosen : keys.slice(0, DEFAULT_KEYS).map((entry) => entry.key)
    const series = await loadTrend(db, context.statistics, shownKeys, window)
    const indexOf = new Map(window.map((session, index) => [session.id, index]))
    const keep = {
      key: chosen,
      window: url.searchParams.get('window') ?? undefined,
      limit: url.searchParams.get('limit') ?? undefined,
    }
    const rows = page.sessions.map(
      (session, index) => html`<tr data-href="${sessionUrl(session.id)}">
<td><a href="${sessionUrl(session.id)}">${timeText(session.startedAt)}</a></td>
<td>${statusBadge(session.status)}</td>
<td>${gateBadge(session.gatePassed, session.failedGates)}</td>
<td>${gitShaText(session.gitSha)}</td>
<td class="num">${spanOf(session.startedAt, session.endedAt)}</td>
<td class="num">${formatNumber(session.runs)}</td>
<td class="num"><a href="${tasksUrl(session.id)}">${formatNumber(session.tasks)}</a></td>
<td class="num">${session.failedTasks === 0 ? html`<span class="muted">0</span>` : html`<a class="fail" href="${failuresUrl(session.id)}">${formatNumber(session.failedTasks)}</a>`}</td>
<td>${shortId(session.id)}</td>
<td>${index === page.sessions.length - 1 && page.next === undefined ? '' : html`<a href="${compareUrl({ cand: session.id })}">compare with previous</a>`}</td>
</tr>`,
    )
    const body = html`<h1>Sessions</h1>
<p class="counts" id="session-count">${countOf(page.total, 'session')} recorded${page.total === 0 ? ' — run your evals with the strikes reporter and they appear here as they land' : ''}.</p>
${trendSection(series, window.length, indexOf, keys, shownKeys, windowSize)}
<h2 id="list-title">${before === undefined ? 'Newest sessions' : 'Older sessions'}</h2>
<section id="sessions-list" aria-labelledby="list-title">
${
  page.sessions.length === 0
    ? html`<p class="muted">No sessions${before === undefined ? ' yet' : ' on this page'}.</p>`
    : html`<div class="scroll"><table class="rows">
<thead><tr><th scope="col">Started</th><th scope="col">Status</th><th scope="col">Gates</th><th scope="col">Git</th><th scope="col" class="num">Duration</th><th scope="col" class="num">Runs</th><th scope="col" class="num">Tasks</th><th scope="col" class="num">Failed</th><th scope="col">Session</th><th scope="col"><span class="skip">Actions</span></th></tr></thead>
<tbody>${joinHtml(rows)}</tbody></table></div>`
}
<nav class="pager" aria-label="Pages of sessions">
${before === undefined ? '' : html`<a href="${sessionsUrl(keep)}" rel="first">Newest sessions</a>`}
${page.next === undefined ? '' : html`<a href="${sessionsUrl({ ...keep, before: formatSessionCursor(page.next) })}" rel="next">Older sessions →</a>`}
</nav>
</section>`
    return pageResponse(db, context, {
      title: 'Sessions',
      section: 'sessions',
      kind: before === undefined ? 'sessions' : 'sessions-older',
      body,
    })
  })
}

function trendSection(
  series: Awaited<ReturnType<typeof loadTrend>>,
  slots: number,
  indexOf: ReadonlyMap<string, number>,
  keys: readonly TrendKey[],
  shown: readonly string[],
  windowSize: number,
): Html {
  if (keys.length === 0) return html`<section id="trend" hidden></section>`
  const options = keys.map(
    (entry) =>
      html`<label><input type="checkbox" name="key" value="${entry.key}"${shown.includes(entry.key) ? html` checked` : ''}> ${entry.key} <span class="muted">(${entry.sessions})</span></label>`,
  )
  const charts = series.map(
    (entry) => html`<figure class="chart-card"><h3>${entry.key}</h3>${trendChart(entry, slots, indexOf)}
<figcaption class="note">mean per session over ${countOf(entry.points.length, 'session')}${entry.points.some((point) => point.interval !== undefined) ? ' · whiskers: 95% interval of the mean' : ''}</figcaption></figure>`,
  )
  return html`<section id="trend" aria-labelledby="trend-title">
<h2 id="trend-title">Trend</h2>
<details class="key-picker"><summary>Choose keys (${shown.length} shown of ${keys.length})</summary>
<form method="get" action="/" class="filters">
<fieldset class="keys"><legend class="skip">Keys</legend>${joinHtml(options)}</fieldset>
<label>Sessions <select name="window">${joinHtml(WINDOWS.map((size) => html`<option value="${size}"${size === windowSize ? html` selected` : ''}>${size}</option>`))}</select></label>
<button type="submit">Show trend</button>
</form></details>
<div class="charts">${joinHtml(charts)}</div>
</section>`
}
