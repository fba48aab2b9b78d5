/** Small pieces of markup every page uses: status and gate badges, short ids, times, kinds of span. */
import { formatDuration, formatTime } from '../../display-format.js'
import { statusClass } from '../../report/session-header.js'
import { type Html, html } from '../html.js'

/** A status badge (`passed`, `failed`, `crashed`, `running`, `ok`, `error`, …). */
export function statusBadge(status: string | null): Html {
  const text = status ?? 'unknown'
  const css = text === 'ok' || text === 'error' ? text : statusClass(text)
  return html`<span class="badge ${css}">${text}</span>`
}

/** The gate verdict of a session: passed, failed (with how many gates failed), or not evaluated. */
export function gateBadge(passed: boolean | null, failed: number): Html {
  if (passed === null) return html`<span class="muted">no gates</span>`
  if (passed) return html`<span class="badge passed">gates passed</span>`
  return html`<span class="badge failed">${failed > 0 ? `${failed} gate${failed === 1 ? '' : 's'} failed` : 'gates failed'}</span>`
}

/** The first 8 characters of an id, with the whole id as a tooltip. */
export function shortId(id: string): Html {
  return html`<code title="${id}">${id.length > 8 ? id.slice(0, 8) : id}</code>`
}

/** A time in UTC (`2026-11-27 19:34:07 UTC`), with the machine-readable form. */
export function timeText(time: Date | null | undefined): Html {
  if (time === null || time === undefined || Number.isNaN(time.getTime()))
    return html`<span class="muted">—</span>`
  return html`<time datetime="${time.toISOString()}">${formatTime(time)}</time>`
}

/** The duration between two times. */
export function spanOf(start: Date | null, end: Date | null): string {
  return start === null || end === null ? '—' : formatDuration(end.getTime() - start.getTime())
}

/** A span's kind as a small label; model calls (GenAI spans) are marked as such. */
export function kindLabel(kind: string, isModelCall = false): Html {
  if (isModelCall) return html`<span class="kind kind-model">model call</span>`
  return html`<span class="kind">${kind}</span>`
}

/** A git sha cut to 7 characters. */
export function gitShaText(sha: string | null): Html {
  if (sha === null || sha === '') return html`<span class="muted">—</span>`
  return html`<code title="${sha}">${sha.slice(0, 7)}</code>`
}
