/**
 * The gate table printed after a session and by `strikes gate`: key, gate, run, observed, expected,
 * verdict and detail. A `no regression` row shows the difference with its interval as observed, what it
 * expects (`no drop`, `no drop > 0.05`), and p, MDE and the `within noise` note as detail.
 */
import { formatTable } from '../cli/text-table.js'
import { formatComparedNumbers } from './gate-numbers.js'
import type { GateResult } from './gate-result.js'
import { formatEstimate, statisticsDetail } from './gate-statistics.js'
import { VERDICT_MARK } from './gate-verdict.js'
import { expectationText } from './regression-gate.js'

/** Lines of the gate table with a one-line verdict count above it; no lines without results. */
export function formatGateTable(results: readonly GateResult[]): string[] {
  if (results.length === 0) return []
  const failed = results.filter((result) => !result.passed).length
  const notRun = results.filter((result) => result.passed && result.verdict === 'not run').length
  const rows = results.map((result) => {
    const mark = result.passed ? VERDICT_MARK[result.verdict] : '✗'
    const base = [mark, result.key, result.expression, result.runName ?? '(no run)']
    const statistics = result.statistics
    if (result.expression.startsWith('no regression')) {
      return [
        ...base,
        statistics === undefined ? '—' : formatEstimate(statistics, 'Δ '),
        expectationText(statistics?.direction, result.expected),
        result.verdict,
        statistics === undefined ? result.message : statisticsDetail(statistics, result.message),
      ]
    }
    const [observed, expected] = formatComparedNumbers(result.observed, result.expected)
    const comparator = result.expression.split(' ')[1] ?? ''
    return [
      ...base,
      observed,
      result.expected === undefined ? '—' : `${comparator} ${expected}`,
      result.verdict,
      result.verdict === 'pass' && statistics === undefined ? '' : result.message,
    ]
  })
  return [
    '',
    ` gates  ${results.length - failed - notRun} passed · ${failed} failed` +
      (notRun > 0 ? ` · ${notRun} not run` : ''),
    ...formatTable(['', 'key', 'gate', 'run', 'observed', 'expected', 'verdict', 'detail'], rows, {
      indent: ' ',
      align: ['left', 'left', 'left', 'left', 'right', 'right', 'left', 'left'],
    }),
  ]
}
