/** The small distribution chart of a metric: bins counted in SQL, drawn as SVG bars. */
import { formatNumber } from '../display-format.js'
import type { HistogramBar, HistogramView } from './report-model.js'

const WIDTH = 120
const HEIGHT = 28
const GAP = 1

/** One bin as counted in SQL: `bin` in `[0, bins)`, over `[low, high]` split evenly. */
export interface HistogramBin {
  readonly bin: number
  readonly count: number
}

/**
 * SQL selecting the bin of `value` in `[low, high]` split into `bins` (all values in bin 0 when low = high).
 */
export function binExpression(value: string, low: string, high: string, bins: number): string {
  return `CASE WHEN ${high} = ${low} THEN 0
    ELSE least(${bins - 1}, greatest(0, floor((${value} - ${low}) / (${high} - ${low}) * ${bins})))::INTEGER
    END`
}

/** Draws the bins of one metric as bars scaled to the fullest bin. */
export function histogramView(
  name: string,
  low: number,
  high: number,
  bins: number,
  counted: readonly HistogramBin[],
): HistogramView {
  const counts = new Array<number>(bins).fill(0)
  for (const { bin, count } of counted) if (bin >= 0 && bin < bins) counts[bin] = (counts[bin] ?? 0) + count
  const fullest = Math.max(1, ...counts)
  const used = low === high ? 1 : bins
  const slot = WIDTH / used
  const bars: HistogramBar[] = []
  for (let bin = 0; bin < used; bin++) {
    const count = counts[bin] ?? 0
    if (count === 0) continue
    const height = Math.max(1, round((count / fullest) * (HEIGHT - 2)))
    const from = low === high ? low : low + ((high - low) * bin) / bins
    const to = low === high ? high : low + ((high - low) * (bin + 1)) / bins
    bars.push({
      x: round(bin * slot + GAP / 2),
      y: round(HEIGHT - height),
      width: round(Math.max(0.5, slot - GAP)),
      height,
      title:
        low === high
          ? `${formatNumber(low)}: ${count} ${count === 1 ? 'value' : 'values'}`
          : `${formatNumber(from)} – ${formatNumber(to)}: ${count} ${count === 1 ? 'value' : 'values'}`,
    })
  }
  return {
    width: WIDTH,
    height: HEIGHT,
    bars,
    label: `distribution of ${name} from ${formatNumber(low)} to ${formatNumber(high)}`,
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}
