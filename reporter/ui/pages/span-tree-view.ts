/**
 * The span tree of a task as a timeline: one row per span, indented by nesting, with a bar placed by its
 * start and length within the root's time, coloured by kind (model calls, tests, failures). Each row is a
 * `<details>` that opens on its values, metrics and model facts, with a link to the span's own page (the root
 * row, the page's own span, is not: its details are the page).
 */
import { countOf, formatDuration, formatNumber } from '../../display-format.js'
import type { ModelCallFacts } from '../data/model-call-facts.js'
import type { TreeNode } from '../data/span-tree.js'
import { type Html, html, joinHtml } from '../html.js'
import { kindLabel, statusBadge } from './fragments.js'
import { spanUrl, tasksUrl } from './links.js'
import { valuesBlock } from './value-view.js'

const BAR_WIDTH = 320
const BAR_HEIGHT = 14

interface TimeFrame {
  readonly start: number
  readonly length: number
}

/** The tree under (and including) `root`, as a timeline. */
export function spanTreeView(root: TreeNode, sessionId: string): Html {
  const frame = timeFrame(root)
  return html`<ol class="tree" aria-label="Span tree">${nodeView(root, frame, sessionId, true)}</ol>`
}

function timeFrame(root: TreeNode): TimeFrame {
  const start = root.startedAt?.getTime() ?? 0
  let end = start + (root.durationMs ?? 0)
  const visit = (node: TreeNode) => {
    if (node.startedAt !== null) end = Math.max(end, node.startedAt.getTime() + (node.durationMs ?? 0))
    for (const child of node.children) visit(child)
  }
  visit(root)
  return { start, length: Math.max(end - start, 0.001) }
}

function bar(node: TreeNode, frame: TimeFrame): Html {
  const offset = node.startedAt === null ? 0 : node.startedAt.getTime() - frame.start
  const x = clamp((offset / frame.length) * BAR_WIDTH, 0, BAR_WIDTH - 1)
  const width = clamp(((node.durationMs ?? 0) / frame.length) * BAR_WIDTH, 1, BAR_WIDTH - x)
  const css =
    node.status === 'error'
      ? 'bar error'
      : node.model !== undefined
        ? 'bar model'
        : node.kind === 'test'
          ? 'bar test'
          : 'bar'
  const label = `starts at +${formatDuration(offset)}, takes ${formatDuration(node.durationMs)}`
  return html`<svg class="timeline" width="${BAR_WIDTH}" height="${BAR_HEIGHT}" viewBox="0 0 ${BAR_WIDTH} ${BAR_HEIGHT}" role="img" aria-label="${label}"><rect class="track" x="0" y="0" width="${BAR_WIDTH}" height="${BAR_HEIGHT}"></rect><rect class="${css}" x="${round(x)}" y="2" width="${round(width)}" height="${BAR_HEIGHT - 4}"><title>${label}</title></rect></svg>`
}

function nodeView(node: TreeNode, frame: TimeFrame, sessionId: string, isRoot: boolean): Html {
  const children =
    node.children.length === 0 && node.hiddenChildren <= 0
      ? ''
      : html`<ol>${joinHtml(node.children.map((child) => nodeView(child, frame, sessionId, false)))}${
          node.hiddenChildren > 0
            ? html`<li class="note">and ${countOf(node.hiddenChildren, 'more span')} — <a href="${tasksUrl(sessionId, { run: node.runId, parent: node.spanId, kind: 'any' })}">list all children</a></li>`
            : ''
        }</ol>`
  const title = html`<span class="node-title">${statusBadge(node.status)} ${kindLabel(node.kind, node.model !== undefined)} <b>${node.name === '' ? '(unnamed)' : node.name}</b> <code class="muted">${node.label}</code></span>${bar(node, frame)}<span class="num">${formatDuration(node.durationMs)}</span>`
  // The root is the page's own span: its details are on the page already.
  if (isRoot)
    return html`<li class="node root" data-span="${node.spanId}"><div class="root-row">${title}</div>${children}</li>`
  return html`<li class="node" data-span="${node.spanId}"><details>
<summary>${title}</summary>
<div class="node-body">
<p><a href="${spanUrl(node.runId, node.spanId)}">Open this ${node.model !== undefined ? 'model call' : node.kind}</a></p>
${node.error === null ? '' : html`<p class="err">${node.error.split('\n')[0]}</p>`}
${node.model === undefined ? '' : modelView(node.model)}
${node.metrics.length === 0 ? '' : html`<dl class="kv">${joinHtml(node.metrics.map((metric) => html`<dt>${metric.name}</dt><dd>${formatNumber(metric.value)}</dd>`))}</dl>`}
${valuesBlock(node.values)}
</div></details>${children}</li>`
}

/** A model call's facts: model, tokens, cost, latency, cache. */
export function modelView(facts: ModelCallFacts): Html {
  const rows: [string, string][] = []
  if (facts.model !== undefined)
    rows.push(['model', facts.provider === undefined ? facts.model : `${facts.model} (${facts.provider})`])
  if (facts.inputTokens !== undefined) rows.push(['input tokens', formatNumber(facts.inputTokens)])
  if (facts.outputTokens !== undefined) rows.push(['output tokens', formatNumber(facts.outputTokens)])
  if (facts.costUsd !== undefined) rows.push(['cost', `$${facts.costUsd.toPrecision(3)}`])
  if (facts.latencyMs !== undefined) rows.push(['latency', formatDuration(facts.latencyMs)])
  if (facts.cacheHit !== undefined) rows.push(['response cache', facts.cacheHit ? 'hit' : 'miss'])
  if (facts.finishReasons !== undefined) rows.push(['finish', facts.finishReasons])
  return html`<dl class="kv model-facts">${joinHtml(rows.map(([key, value]) => html`<dt>${key}</dt><dd>${value}</dd>`))}</dl>`
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), Math.max(low, high))
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
