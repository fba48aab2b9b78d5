/**
 * The task lists of a session: all its tasks (`/session/<id>/tasks`, filterable by run, kind, label, status,
 * tag, metric range and text; sortable by any column) and its failures (`/session/<id>/failures`: failed
 * tasks, spans and tests with their errors).
 */
import { countOf } from '../../display-format.js'
import { findSession } from '../data/session-detail.js'
import { type ListOptions, loadListOptions, loadTaskPage } from '../data/task-list.js'
import { type Html, html } from '../html.js'
import { type PageContext, type PageResponse, pageResponse } from '../server/page-context.js'
import { filterForm } from './filter-form.js'
import { shortId } from './fragments.js'
import { failuresUrl, type Params, sessionUrl, tasksUrl } from './links.js'
import { readTaskListState, type TaskListState } from './task-list-state.js'
import { taskTable } from './task-table.js'

/** Metric columns shown at most (besides the one sorted by). */
const MAX_METRIC_COLUMNS = 6

/** Renders the tasks of a session. */
export function tasksPage(context: PageContext): Promise<PageResponse> {
  return listPage(context, 'tasks')
}

/** Renders the failures of a session. */
export function failuresPage(context: PageContext): Promise<PageResponse> {
  return listPage(context, 'failures')
}

async function listPage(context: PageContext, kind: 'tasks' | 'failures'): Promise<PageResponse> {
  const reference = context.params.session ?? ''
  return context.lease.use(async (db) => {
    const lookup = await findSession(db, reference)
    const link = kind === 'tasks' ? tasksUrl : failuresUrl
    if ('redirect' in lookup)
      return { redirect: link(lookup.redirect, Object.fromEntries(context.url.searchParams)) }
    const sessionId = lookup.found
    const state = readTaskListState(
      context.url,
      sessionId,
      kind === 'failures' ? { kind: 'any', status: 'error' } : {},
    )
    const options = await loadListOptions(db, sessionId)
    const page = await loadTaskPage(
      db,
      state.filter,
      state.sort,
      state.after,
      state.limit,
      kind === 'failures' ? 0 : MAX_METRIC_COLUMNS,
    )
    const url = (params: Params) => link(sessionId, params)
    const run = options.runs.find((entry) => entry.id === state.filter.runId)
    const title = kind === 'failures' ? 'Failures' : heading(state)
    const body = html`<div class="crumbs"><a href="/">Sessions</a> › <a href="${sessionUrl(sessionId)}">session ${shortId(sessionId)}</a> › ${title}${run === undefined ? '' : html` › ${run.name}`}</div>
<h1>${title}${run === undefined ? '' : html` of ${run.name}`}</h1>
${kind === 'failures' ? html`<p class="note">Failed tasks, spans and tests of this session, with their errors. <a href="${tasksUrl(sessionId, { status: 'error', run: state.filter.runId })}">As a task table</a></p>` : ''}
${filterForm(state, options, { action: link(sessionId), statusFilter: kind === 'tasks', clearHref: link(sessionId), defaultKind: kind === 'tasks' ? 'task' : 'any' })}
${describe(state, options)}
${taskTable(state, page, { url, metricColumns: page.columns, detail: kind === 'failures' ? 'errors' : 'values' })}`
    return pageResponse(db, context, {
      title: `${title} · session ${sessionId.slice(0, 8)}`,
      section: 'sessions',
      kind,
      body,
    })
  })
}

function heading(state: TaskListState): string {
  switch (state.filter.kind) {
    case 'span':
      return 'Spans'
    case 'test':
      return 'Tests'
    case 'any':
      return 'All spans'
    default:
      return 'Tasks'
  }
}

/** The active filters in words. */
function describe(state: TaskListState, options: ListOptions): Html {
  const filter = state.filter
  const parts: string[] = []
  if (filter.label !== undefined) parts.push(`label ${filter.label}`)
  if (filter.status !== undefined) parts.push(filter.status === 'error' ? 'failed' : 'succeeded')
  if (filter.tag !== undefined) parts.push(`tagged ${filter.tag}`)
  if (filter.metric !== undefined) {
    const { name, min, max } = filter.metric
    parts.push(
      min === undefined && max === undefined
        ? `with a ${name} value`
        : `${name} ${min === undefined ? '' : `≥ ${min}`}${min !== undefined && max !== undefined ? ' and ' : ''}${max === undefined ? '' : `≤ ${max}`}`,
    )
  }
  if (filter.search !== undefined) parts.push(`containing “${filter.search}”`)
  if (parts.length === 0) return html``
  return html`<p class="note" id="active-filters">Showing only: ${parts.join(' · ')} (${countOf(options.runs.length, 'run')} in the session)</p>`
}
