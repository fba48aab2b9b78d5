/**
 * A key's trend as an SVG line chart: one point per session (a link to it, with its mean and count in a
 * tooltip), evenly spaced oldest to newest, and whiskers for the 95% interval of each mean the statistics
 * give. Geometry is computed here; colours come from the stylesheet's classes.
 */
import { formatNumber, formatTime } from '../../display-format.js'
import type { TrendSeries } from '../data/trend.js'
import { type Html, html, joinHtml } from '../html.js'
import { sessionUrl } from './links.js'

const WIDTH = 420
const HEIGHT = 150
const LEFT = 64
const RIGHT = 12
const TOP = 10
const BOTTOM = 22

/** The chart of one key; `slots` is the number of sessions in the window (the x axis). */
export function trendChart(series: TrendSeries, slots: number, indexOf: ReadonlyMap<string, number>): Html {
  const values = series.points.flatMap((point) => [
    point.mean,
    ...(point.interval === undefined ? [] : [point.interval.low, point.interval.high]),
  ])
  const finite = values.filter((value) => Number.isFinite(value))
  if (finite.length === 0) return html`<p class="muted">No values of this key in these sessions.</p>`
  let low = Math.min(...finite)
  let high = Math.max(...finite)
  if (low === high) {
    low -= Math.abs(low) * 0.1 || 1
    high += Math.abs(high) * 0.1 || 1
  }
  const x = (slot: number) =>
    LEFT + (slots <= 1 ? (WIDTH - LEFT - RIGHT) / 2 : (slot * (WIDTH - LEFT - RIGHT)) / (slots - 1))
  const y = (value: number) => TOP + (1 - (value - low) / (high - low)) * (HEIGHT - TOP - BOTTOM)
  const placed = series.points.map((point) => ({ point, cx: round(x(indexOf.get(point.session.id) ?? 0)) }))
  const path = placed
    .map(({ point, cx }, index) => `${index === 0 ? 'M' : 'L'}${cx} ${round(y(point.mean))}`)
    .join(' ')
  const whiskers = placed.flatMap(({ point, cx }) =>
    point.interval === undefined
      ? []
      : [
          html`<line class="whisker" x1="${cx}" x2="${cx}" y1="${round(y(point.interval.low))}" y2="${round(y(point.interval.high))}"></line>`,
        ],
  )
  const dots = placed.map(({ point, cx }) => {
    const interval =
      point.interval === undefined
        ? ''
        : ` · 95% interval ${formatNumber(point.interval.low)} to ${formatNumber(point.interval.high)} (${point.interval.method}, ${formatNumber(point.interval.inputs)} inputs)`
    const label = `session ${point.session.id.slice(0, 8)} · ${formatTime(point.session.startedAt)} · mean ${formatNumber(point.mean)} over ${formatNumber(point.count)} points${interval}`
    return html`<a href="${sessionUrl(point.session.id)}" aria-label="${label}"><circle cx="${cx}" cy="${round(y(point.mean))}" r="4"><title>${label}</title></circle></a>`
  })
  const first = series.points[0]
  const last = series.points[series.points.length - 1]
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${`trend of ${series.key} over ${series.points.length} sessions, from ${formatNumber(first?.mean)} to ${formatNumber(last?.mean)}`}">
<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${HEIGHT - BOTTOM}" y2="${HEIGHT - BOTTOM}"></line>
<line class="axis" x1="${LEFT}" x2="${LEFT}" y1="${TOP}" y2="${HEIGHT - BOTTOM}"></line>
<text class="label" x="${LEFT - 6}" y="${TOP + 8}" text-anchor="end">${axisNumber(high)}</text>
<text class="label" x="${LEFT - 6}" y="${HEIGHT - BOTTOM}" text-anchor="end">${axisNumber(low)}</text>
<text class="label" x="${LEFT}" y="${HEIGHT - 6}">${formatTime(first?.session.startedAt).slice(0, 10)}</text>
<text class="label" x="${WIDTH - RIGHT}" y="${HEIGHT - 6}" text-anchor="end">${formatTime(last?.session.startedAt).slice(0, 10)}</text>
${joinHtml(whiskers)}
<path class="line" d="${path}"></path>
${joinHtml(dots)}
</svg>`
}

/** An axis label: at most 3 significant digits, exponent form for very small or large values. */
function axisNumber(value: number): string {
  const magnitude = Math.abs(value)
  if (magnitude !== 0 && (magnitude < 0.001 || magnitude >= 1e6)) return value.toExponential(2)
  return String(Number(value.toPrecision(3)))
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
