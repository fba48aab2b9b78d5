/** Stored values and long text on a page: a `<pre>`, or a collapsed `<details>` when long, with what was cut said. */
import { formatNumber } from '../../display-format.js'
import type { TaskValuesView, TextView } from '../../report/report-model.js'
import { summaryLine, textView } from '../../report/text-view.js'
import type { CutText } from '../data/task-detail.js'
import { type Html, html, joinHtml } from '../html.js'

/** A text view: open when short, collapsed to its first line when long (unless `open`). */
export function textBlock(view: TextView, open = false, css = ''): Html {
  const note = view.note === '' ? '' : html`<div class="note">${view.note}</div>`
  if (!view.collapsed) return html`<pre class="${css}">${view.text}</pre>${note}`
  return html`<details${open ? html` open` : ''}><summary><code>${view.summary}</code></summary><pre class="${css}">${view.text}</pre>${note}</details>`
}

/** A text cut in SQL, as a block. */
export function cutBlock(text: CutText, open = false, css = ''): Html {
  return textBlock(textView({ text: text.text, fullLength: text.length }), open, css)
}

/** Named inputs, then named outputs. */
export function valuesBlock(values: TaskValuesView | undefined, open = false): Html {
  if (values === undefined || values.inputs.length + values.outputs.length === 0) {
    return html`<p class="muted">No inputs or outputs recorded.</p>`
  }
  const named = (direction: string, list: TaskValuesView['inputs']) =>
    list.map(
      (entry) =>
        html`<div><div class="value-name">${direction} <code>${entry.name}</code></div>${textBlock(entry.value, open)}</div>`,
    )
  return html`<div class="values">${joinHtml(named('input', values.inputs))}${values.moreInputs === '' ? '' : html`<p class="note">${values.moreInputs}</p>`}${joinHtml(named('output', values.outputs))}${values.moreOutputs === '' ? '' : html`<p class="note">${values.moreOutputs}</p>`}</div>`
}

/** The first line of a text, for a table cell. */
export function oneLine(text: string | null | undefined): string {
  return text === null || text === undefined ? '' : summaryLine(text)
}

/** `showing 2,000 of 48,213 characters` when cut. */
export function cutNote(text: CutText): string {
  return text.length > text.text.length
    ? `showing ${formatNumber(text.text.length)} of ${formatNumber(text.length)} characters`
    : ''
}
