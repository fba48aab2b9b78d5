/**
 * The table of a task list: sortable column headers (links that keep the filters), one row per span with a
 * link to its page, status, label, duration, a column per metric, previews of input and output (or the
 * error, in the failures list), and the pager ("next" continues after the last row shown).
 */
import { formatDuration, formatNumber } from '../../display-format.js'
import type { SortKey } from '../data/task-filter.js'
import type { TaskPage, TaskRow } from '../data/task-list.js'
import { type Html, html, joinHtml } from '../html.js'
import { kindLabel, statusBadge, timeText } from './fragments.js'
import { type Params, spanUrl } from './links.js'
import { defaultDescending, formatCursor, stateParams, type TaskListState } from './task-list-state.js'

/** How the table is laid out. */
export interface TaskTableOptions {
  /** Builds the list's URL from parameters. */
  readonly url: (params: Params) => string
  readonly metricColumns: readonly string[]
  /** `values`: input and output previews; `errors`: the error message. */
  readonly detail: 'values' | 'errors'
}

function header(
  state: TaskListState,
  options: TaskTableOptions,
  key: SortKey,
  label: string,
  numeric = false,
): Html {
  const active = state.sort.key === key
  const descending = active ? !state.sort.descending : defaultDescending(key)
  const href = options.url(
    stateParams(state, { sort: key === 'started' ? undefined : key, dir: descending ? 'desc' : 'asc' }),
  )
  const sort = active ? (state.sort.descending ? 'descending' : 'ascending') : undefined
  return html`<th scope="col"${numeric ? html` class="num"` : ''}${sort === undefined ? '' : html` aria-sort="${sort}"`}><a href="${href}" title="${`sort by ${label}`}">${label}</a></th>`
}

function row(entry: TaskRow, options: TaskTableOptions): Html {
  const href = spanUrl(entry.runId, entry.spanId)
  const metrics = options.metricColumns.map((name) => {
    const value = entry.metrics.get(name)
    return html`<td class="num">${value === undefined ? html`<span class="muted">—</span>` : formatNumber(value)}</td>`
  })
  const detail =
    options.detail === 'errors'
      ? html`<td class="err">${(entry.error ?? 'failed without an error message').split('\n')[0]}</td>`
      : html`<td class="preview" data-preview="input"><span class="muted">…</span></td><td class="preview" data-preview="output"><span class="muted">…</span></td>`
  return html`<tr data-href="${href}" data-run="${entry.runId}" data-span="${entry.spanId}">
<td>${statusBadge(entry.status)}</td>
<td class="name"><a href="${href}">${entry.name === '' ? '(unnamed)' : entry.name}</a> ${entry.kind === 'task' ? '' : kindLabel(entry.kind, entry.modelCall)}${
    entry.tags.length === 0
      ? ''
      : html`<span class="tags">${joinHtml(
          entry.tags.map((tag) => html`<span class="tag">${tag}</span>`),
          ' ',
        )}</span>`
  }</td>
<td><code>${entry.label}</code></td>
<td class="num">${formatDuration(entry.durationMs)}</td>
${joinHtml(metrics)}
${detail}
<td class="num">${timeText(entry.startedAt)}</td>
</tr>`
}

/** The table and its pager. */
export function taskTable(state: TaskListState, page: TaskPage, options: TaskTableOptions): Html {
  if (page.rows.length === 0) {
    return html`<p class="muted" id="no-rows">No ${state.filter.kind === 'any' ? 'spans' : `${state.filter.kind}s`} match these filters.</p>`
  }
  const metricHeaders = options.metricColumns.map((name) =>
    header(state, options, `metric:${name}`, name, true),
  )
  const detailHeaders =
    options.detail === 'errors'
      ? html`<th scope="col">Error</th>`
      : html`<th scope="col">Input</th><th scope="col">Output</th>`
  const to = state.from + page.rows.length - 1
  return html`<p class="counts" id="row-counts">${formatNumber(page.total)} match · showing ${formatNumber(state.from)}–${formatNumber(to)}</p>
<div class="scroll"><table class="rows tasks">
<thead><tr>${header(state, options, 'status', 'Status')}${header(state, options, 'name', 'Name')}${header(state, options, 'label', 'Label')}${header(state, options, 'duration', 'Duration', true)}${joinHtml(metricHeaders)}${detailHeaders}${header(state, options, 'started', 'Started', true)}</tr></thead>
<tbody>${joinHtml(page.rows.map((entry) => row(entry, options)))}</tbody>
</table></div>
<nav class="pager" aria-label="Pages">
${state.after === undefined ? '' : html`<a href="${options.url(stateParams(state))}" rel="first">← First page</a>`}
${page.next === undefined ? html`<span class="muted">end of the list</span>` : html`<a href="${options.url(stateParams(state, { after: formatCursor(page.next), from: to + 1 }))}" rel="next">Next ${formatNumber(state.limit)} →</a>`}
</nav>`
}
