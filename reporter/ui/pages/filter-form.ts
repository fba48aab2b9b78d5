/**
 * The filter bar of a task list: run, kind, label, status, tag, a metric's range and text search, as a GET
 * form — applying it is following a link, so the browser's back button undoes it.
 */
import type { ListOptions } from '../data/task-list.js'
import { type Html, html, joinHtml } from '../html.js'
import { defaultDescending, type TaskListState } from './task-list-state.js'

/** What the form fixes and keeps: the page's path and whether it offers the status filter. */
export interface FilterFormOptions {
  readonly action: string
  readonly statusFilter: boolean
  /** The kind the page shows when the address names none (its option submits nothing). */
  readonly defaultKind: string
  readonly clearHref: string
}

function option(value: string, label: string, selected: boolean): Html {
  return html`<option value="${value}"${selected ? html` selected` : ''}>${label}</option>`
}

function select(
  name: string,
  label: string,
  current: string | undefined,
  values: readonly (readonly [string, string])[],
  anyLabel = 'any',
): Html {
  return html`<label>${label}<select name="${name}" data-autosubmit>${option('', anyLabel, current === undefined)}${joinHtml(
    values.map(([value, text]) => option(value, text, current === value)),
  )}</select></label>`
}

/** The filter form of a list. */
export function filterForm(state: TaskListState, options: ListOptions, form: FilterFormOptions): Html {
  const filter = state.filter
  const kinds: (readonly [string, string])[] = [
    ['task', 'tasks'],
    ['span', 'spans'],
    ['test', 'tests'],
    ['any', 'everything'],
  ]
  return html`<form class="filters" method="get" action="${form.action}" role="search">
${select(
  'run',
  'Run',
  filter.runId,
  options.runs.map((run) => [run.id, run.name] as const),
  'all runs',
)}
<label>Kind<select name="kind" data-autosubmit>${joinHtml(kinds.map(([value, text]) => option(value === form.defaultKind ? '' : value, text, filter.kind === value)))}</select></label>
${select(
  'label',
  'Label',
  filter.label,
  options.labels.map((label) => [label, label] as const),
)}
${
  form.statusFilter
    ? select('status', 'Status', filter.status, [
        ['ok', 'ok'],
        ['error', 'failed'],
      ] as const)
    : ''
}
${
  options.tags.length === 0
    ? ''
    : select(
        'tag',
        'Tag',
        filter.tag,
        options.tags.map((tag) => [tag, tag] as const),
      )
}
${
  options.metrics.length === 0
    ? ''
    : html`${select(
        'metric',
        'Metric',
        filter.metric?.name,
        options.metrics.map((name) => [name, name] as const),
        'none',
      )}
<label>from<input class="short" type="number" step="any" name="min" value="${filter.metric?.min ?? ''}" aria-label="metric at least"></label>
<label>to<input class="short" type="number" step="any" name="max" value="${filter.metric?.max ?? ''}" aria-label="metric at most"></label>`
}
<label>Search inputs, outputs, errors<input type="search" id="q" name="q" value="${filter.search ?? ''}" placeholder="text (press / to focus)" maxlength="200"></label>
${state.sort.key === 'started' ? '' : html`<input type="hidden" name="sort" value="${state.sort.key}">`}
${state.sort.descending === defaultDescending(state.sort.key) ? '' : html`<input type="hidden" name="dir" value="${state.sort.descending ? 'desc' : 'asc'}">`}
<button type="submit">Apply</button>
<a href="${form.clearHref}">Clear</a>
</form>`
}
