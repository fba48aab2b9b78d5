/** The gate table printed after a session and by `strikes gate`: key, run, observed, expected, verdict. */
import { formatTable } from '../cli/text-table.js'
import type { GateResult } from './evaluate-gates.js'
import { formatComparedNumbers } from './gate-numbers.js'

const MARK: Record<GateResult['verdict'], string> = {
  pass: '✓',
  fail: '✗',
  'no data': '✗',
  'no baseline': '?',
  'not run': '–',
}

/** Lines of the gate table with a one-line verdict count above it; no lines without results. */
export function formatGateTable(results: readonly GateResult[]): string[] {
  if (results.length === 0) return []
  const failed = results.filter((result) => !result.passed).length
  const notRun = results.filter((result) => result.passed && result.verdict === 'not run').length
  const rows = results.map((result) => {
    const [observed, expected] = formatComparedNumbers(result.observed, result.expected)
    const comparator = result.expression.split(' ')[1] ?? ''
    return [
      result.passed ? MARK[result.verdict] : '✗',
      result.key,
      result.expression,
      result.runName ?? '(no run)',
      observed,
      result.expected === undefined ? '—' : `${comparator} ${expected}`,
      result.verdict,
      result.verdict === 'pass' ? '' : result.message,
    ]
  })
  return [
    '',
    ` gates  ${results.length - failed - notRun} passed · ${failed} failed${notRun > 0 ? ` · ${notRun} not run` : ''}`,
    ...formatTable(['', 'key', 'gate', 'run', 'observed', 'expected', 'verdict', 'detail'], rows, {
      indent: ' ',
      align: ['left', 'left', 'left', 'left', 'right', 'right', 'left', 'left'],
    }),
  ]
}
