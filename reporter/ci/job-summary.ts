/**
 * The Markdown job summary of a session, appended to `$GITHUB_STEP_SUMMARY` under GitHub Actions: the
 * session's status and gate verdict, the gate table, the runs, and where the database and report are.
 * Stored text is escaped (GitHub renders HTML inside Markdown) and the tables are capped.
 */
import { appendFileSync } from 'node:fs'
import { relative } from 'node:path'
import { countOf, formatDuration } from '../display-format.js'
import type { GateResult } from '../gate/evaluate-gates.js'
import type { RunSummary } from '../summary.js'
import { ciGates } from './gate-lines.js'

/** What the summary shows. */
export interface JobSummaryInput {
  readonly sessionId: string
  /** Vitest's reason for ending (`passed`, `failed`, `interrupted`). */
  readonly status: string
  readonly gatePassed: boolean | undefined
  readonly results: readonly GateResult[]
  readonly runs: readonly RunSummary[]
  /** Why the session was partial; `undefined` for a whole session. */
  readonly partial: readonly string[] | undefined
  readonly dbPath: string
  readonly reportPaths: readonly string[]
  readonly cwd: string
}

/** Rows shown per table. */
const MAX_ROWS = 100

const MARK = { passed: '✅', failed: '❌', skipped: '➖' } as const

/** The Markdown of a session's job summary. */
export function jobSummaryMarkdown(input: JobSummaryInput): string {
  const gate =
    input.gatePassed === undefined ? 'no gates' : input.gatePassed ? 'gates passed' : 'gates failed'
  const lines = [
    `## strikes · ${input.gatePassed === false ? '❌' : '✅'} ${cell(gate)}`,
    '',
    `Session ${code(input.sessionId)} · status **${cell(input.status)}** · ` +
      countOf(input.runs.length, 'run') +
      (input.partial === undefined ? '' : ` · partial (${cell(input.partial.join(', '))})`),
    '',
  ]
  if (input.results.length > 0) {
    lines.push('| | key | gate | run | observed | verdict | detail |', '|---|---|---|---|---|---|---|')
    for (const { result, outcome, gate, figures } of ciGates(input.results).slice(0, MAX_ROWS)) {
      lines.push(
        `| ${MARK[outcome]} | ${code(result.key)} | ${code(gate)} | ${cell(result.runName ?? '(no run)')} ` +
          `| ${cell(figures)} | ${cell(result.verdict)} ` +
          `| ${result.verdict === 'pass' ? '' : cell(result.message)} |`,
      )
    }
    if (input.results.length > MAX_ROWS) lines.push('', `and ${input.results.length - MAX_ROWS} more gates`)
    lines.push('')
  }
  if (input.runs.length > 0) {
    lines.push(
      '| run | status | tasks | failed tasks | tests | failed tests | duration |',
      '|---|---|---|---|---|---|---|',
    )
    for (const run of input.runs.slice(0, MAX_ROWS)) {
      lines.push(
        `| ${cell(run.name)} | ${cell(run.status)} | ${run.tasks} | ${run.failedTasks} | ${run.tests} ` +
          `| ${run.failedTests}${run.flakyTests > 0 ? ` (${run.flakyTests} flaky)` : ''} ` +
          `| ${formatDuration(run.durationMs)} |`,
      )
    }
    if (input.runs.length > MAX_ROWS) lines.push('', `and ${input.runs.length - MAX_ROWS} more runs`)
    lines.push('')
  }
  lines.push(`Database: ${code(shown(input.dbPath, input.cwd))}`)
  for (const report of input.reportPaths) lines.push(`Report: ${code(shown(report, input.cwd))}`)
  lines.push('')
  return lines.join('\n')
}

/** Appends a session's job summary to the file GitHub names in `GITHUB_STEP_SUMMARY`. */
export function appendJobSummary(path: string, markdown: string): void {
  appendFileSync(path, `${markdown}\n`)
}

/** Text safe inside a Markdown table cell: HTML escaped, pipes and line breaks neutralised, capped. */
function cell(value: string): string {
  const capped = value.length > 300 ? `${value.slice(0, 299)}…` : value
  return capped
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/`/g, '&#96;')
    .replace(/[\r\n]+/g, ' ')
}

function code(value: string): string {
  return `<code>${cell(value)}</code>`
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel.startsWith('..') ? path : rel
}
