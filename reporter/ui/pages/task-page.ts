/**
 * The Task page (`/run/<run id>/span/<span id>`): a task (or span, model call, test) with the chain it ran
 * in, its inputs and output, metrics and scores, error and stack, model facts and attributes, and the span
 * tree under it as a timeline whose every node opens.
 */
import { countOf, formatDuration, formatNumber } from '../../display-format.js'
import { modelFacts } from '../data/model-call-facts.js'
import { loadSpanTree, type MetricPointRow, treeNode } from '../data/span-tree.js'
import { type AncestorSpan, loadAncestors, loadSpanDetail, type SpanDetail } from '../data/task-detail.js'
import { type Html, html, joinHtml } from '../html.js'
import { type PageContext, type PageResponse, pageResponse } from '../server/page-context.js'
import { kindLabel, shortId, statusBadge, timeText } from './fragments.js'
import { sessionUrl, spanUrl, tasksUrl } from './links.js'
import { modelView, spanTreeView } from './span-tree-view.js'
import { cutBlock, valuesBlock } from './value-view.js'

/** Characters of each input and output shown on the page. */
const VALUE_CHARS = 20_000

/** Renders the Task page. */
export async function taskPage(context: PageContext): Promise<PageResponse> {
  const runId = context.params.run ?? ''
  const spanId = context.params.span ?? ''
  return context.lease.use(async (db) => {
    const span = await loadSpanDetail(db, runId, spanId)
    const root = treeNode(
      runId,
      {
        spanId,
        kind: span.kind,
        name: span.name,
        label: span.label,
        status: span.status,
        error: span.error?.text ?? null,
        startedAt: span.startedAt,
        durationMs: span.durationMs,
      },
      span.attributes?.text ?? null,
    )
    const tree = await loadSpanTree(db, runId, root, VALUE_CHARS, span.traceId)
    const ancestors = tree.ancestors ?? (await loadAncestors(db, runId, spanId))
    const values = root.values
    const model = modelFacts(span.attributes?.text ?? null)
    const sessionId = span.run.sessionId
    const what =
      model !== undefined
        ? 'Model call'
        : span.kind === 'task'
          ? 'Task'
          : span.kind === 'test'
            ? 'Test'
            : 'Span'
    const body = html`${crumbs(span, ancestors)}
<h1>${what} <span class="mono">${span.name === '' ? '(unnamed)' : span.name}</span> ${statusBadge(span.status)}</h1>
<dl class="facts">
<div><dt>Label</dt><dd><code>${span.label}</code> ${kindLabel(span.kind, model !== undefined)}</dd></div>
<div><dt>Started</dt><dd>${timeText(span.startedAt)}</dd></div>
<div><dt>Duration</dt><dd>${formatDuration(span.durationMs)}</dd></div>
<div><dt>Run</dt><dd><a href="${tasksUrl(sessionId, { run: runId })}">${span.run.name}</a></dd></div>
${
  span.tags.length === 0
    ? ''
    : html`<div><dt>Tags</dt><dd>${joinHtml(
        span.tags.map((tag) => html`<span class="tag">${tag}</span>`),
        ' ',
      )}</dd></div>`
}
${span.trial === null ? '' : html`<div><dt>Trial</dt><dd>${formatNumber(span.trial)}</dd></div>`}
${span.inputKey === null ? '' : html`<div><dt>Input key</dt><dd><code>${span.inputKey}</code></dd></div>`}
<div><dt>Span id</dt><dd><code>${span.spanId}</code></dd></div>
</dl>
${span.error === undefined ? '' : errorSection(span)}
${model === undefined ? '' : html`<h2>Model call</h2>${modelView(model)}`}
<div class="two">
<section aria-labelledby="values-title"><h2 id="values-title">Inputs and outputs</h2>${valuesBlock(values, true)}</section>
<section aria-labelledby="metrics-title"><h2 id="metrics-title">Metrics and scores</h2>${metricsTable(tree.rootPoints)}</section>
</div>
<h2 id="tree-title">Span tree</h2>
<p class="note">${countOf(tree.nodes, 'span')} shown${tree.truncated ? ' (bounded: open a child to see its own tree)' : ''} · bars show when each span ran within this ${what.toLowerCase()} · press a row to open it</p>
${spanTreeView(root, sessionId)}
${span.attributes === undefined ? '' : html`<h2>Attributes</h2>${cutBlock(span.attributes)}`}`
    return pageResponse(db, context, {
      title: `${what} ${span.name}`,
      section: 'sessions',
      kind: 'task',
      body,
    })
  })
}

function crumbs(span: SpanDetail, ancestors: readonly AncestorSpan[]): Html {
  const chain = ancestors.map(
    (ancestor) =>
      html` › <a href="${spanUrl(span.runId, ancestor.spanId)}">${ancestor.kind === 'test' ? 'test ' : ''}${ancestor.name === '' ? '(unnamed)' : ancestor.name}</a>`,
  )
  return html`<div class="crumbs"><a href="/">Sessions</a> › <a href="${sessionUrl(span.run.sessionId)}">session ${shortId(span.run.sessionId)}</a> › <a href="${tasksUrl(span.run.sessionId, { run: span.runId })}">${span.run.name}</a>${joinHtml(chain)}</div>`
}

function errorSection(span: SpanDetail): Html {
  const error = span.error
  if (error === undefined) return html``
  const stack =
    span.stack !== undefined && span.stack.text.trim() !== error.text.trim() ? span.stack : undefined
  return html`<section class="callout bad" aria-labelledby="error-title"><h2 id="error-title">Error</h2>
${cutBlock(error, true, 'error-text')}
${stack === undefined ? '' : html`<h3>Stack</h3>${cutBlock(stack, false, 'stack')}`}
</section>`
}

/** Points shown in the metrics table at most. */
const MAX_POINTS = 500

function metricsTable(points: readonly MetricPointRow[]): Html {
  if (points.length === 0) return html`<p class="muted">No metrics recorded on this span.</p>`
  const rows = points
    .slice(0, MAX_POINTS)
    .map(
      (metric) =>
        html`<tr><th scope="row"><code>${metric.name}</code></th><td class="num">${formatNumber(metric.value)}</td><td>${metric.source ?? ''}</td><td class="num">${metric.step === null || metric.step === 0 ? '' : formatNumber(metric.step)}</td><td class="preview" title="${metric.attributes ?? ''}">${metric.attributes ?? ''}</td></tr>`,
    )
  return html`<div class="scroll"><table class="rows"><thead><tr><th scope="col">Metric</th><th scope="col" class="num">Value</th><th scope="col">Source</th><th scope="col" class="num">Step</th><th scope="col">Attributes</th></tr></thead><tbody>${joinHtml(rows)}</tbody></table></div>${points.length > MAX_POINTS ? html`<p class="note">and ${countOf(points.length - MAX_POINTS, 'more point')}</p>` : ''}`
}
