/**
 * `strikes compare` of two sessions: runs matched by project and run name, points by key and `input_key`,
 * each key compared (paired t, McNemar, or Welch when inputs cannot be paired) with Holm's correction
 * across keys — printed as a table with the inputs that changed most and both outputs side by side, or as
 * JSON in the documented shape.
 */

import { formatTime } from '../display-format.js'
import { formatGateNumber } from '../gate/gate-numbers.js'
import { type ComparedKey, compareRuns, sessionFilePairs } from '../stats/compare-runs.js'
import type { MetricDirection } from '../stats/comparison-verdict.js'
import { metricDirection } from '../stats/metric-direction.js'
import type { Database } from '../store/database.js'
import { displayWidth, formatTable, oneLine } from './text-table.js'

/** One session of the comparison. */
export interface ComparedSession {
  readonly session: string
  readonly startedAt: Date | null
  readonly gitSha: string | null
}

/** Two sessions compared key by key. */
export interface SessionComparison {
  readonly baseline: ComparedSession
  readonly candidate: ComparedSession
  readonly keys: readonly ComparedKey[]
}

/** How to compare. */
export interface CompareSessionsOptions {
  /** Keys for which a decrease is an improvement, and keys for which an increase is (both override the default). */
  readonly lowerIsBetter: ReadonlySet<string>
  readonly higherIsBetter: ReadonlySet<string>
  /** Changed inputs listed per key. */
  readonly topInputs: number
}

/** Compares session `baseline` with session `candidate`. */
export async function compareSessions(
  database: Database,
  baseline: string,
  candidate: string,
  options: CompareSessionsOptions,
): Promise<SessionComparison> {
  const pairs = await sessionFilePairs(database, baseline, candidate)
  const direction = (key: string): MetricDirection =>
    options.lowerIsBetter.has(key)
      ? 'lower-is-better'
      : options.higherIsBetter.has(key)
        ? 'higher-is-better'
        : metricDirection(key)
  const keys = await compareRuns(database, pairs, {
    direction,
    topInputs: options.topInputs,
    previewChars: 400,
  })
  return {
    baseline: await sessionFacts(database, baseline),
    candidate: await sessionFacts(database, candidate),
    keys,
  }
}

async function sessionFacts(database: Database, sessionId: string): Promise<ComparedSession> {
  const rows = await database.query<{ started_at: Date | null; git_sha: string | null }>(
    'SELECT started_at, git_sha FROM sessions WHERE session_id = ?',
    [sessionId],
  )
  return { session: sessionId, startedAt: rows[0]?.started_at ?? null, gitSha: rows[0]?.git_sha ?? null }
}

/** The comparison as `strikes compare --json` writes it (numbers that cannot be computed are null). */
export function comparisonJson(comparison: SessionComparison): unknown {
  const n = (value: number | undefined): number | null =>
    value === undefined || !Number.isFinite(value) ? null : value
  return {
    baseline: { session: comparison.baseline.session },
    candidate: { session: comparison.candidate.session },
    keys: comparison.keys.map((key) => ({
      run: key.run,
      key: key.key,
      n_paired: key.nPaired,
      n_only_baseline: key.nOnlyBaseline,
      n_only_candidate: key.nOnlyCandidate,
      baseline_mean: n(key.baselineMean),
      candidate_mean: n(key.candidateMean),
      mean_diff: n(key.meanDiff),
      se_diff: n(key.seDiff),
      ci_low: n(key.ciLow),
      ci_high: n(key.ciHigh),
      p_value: n(key.pValue),
      p_adjusted: n(key.pAdjusted),
      mde: n(key.mde),
      verdict: key.verdict,
      project: key.project,
      method: key.method,
      direction: key.direction,
      relative: n(key.relative),
      notes: key.notes,
    })),
    inputs: comparison.keys.flatMap((key) =>
      key.changed.map((input) => ({
        run: key.run,
        key: key.key,
        input_key: input.inputKey,
        baseline: n(input.baseline),
        candidate: n(input.candidate),
        diff: n(input.diff),
        baseline_output: input.baselineOutput ?? null,
        candidate_output: input.candidateOutput ?? null,
      })),
    ),
  }
}

/** How the table is laid out. */
export interface FormatComparisonOptions {
  /** Terminal width the changed inputs' previews are cut to. */
  readonly width: number
  readonly topInputs: number
}

/** The comparison as lines of text: sessions, the key table, notes, and the inputs that changed most. */
export function formatComparison(comparison: SessionComparison, options: FormatComparisonOptions): string[] {
  const { keys } = comparison
  const count = (verdict: string): number => keys.filter((key) => key.verdict === verdict).length
  const tested = keys.filter((key) => key.pAdjusted !== undefined).length
  const lines = [
    `baseline   ${describeSession(comparison.baseline)}`,
    `candidate  ${describeSession(comparison.candidate)}`,
    `${keys.length} key${keys.length === 1 ? '' : 's'}: ${count('regressed')} regressed · ${count('improved')} improved · ` +
      `${count('no_change')} no change · ${count('insufficient_data')} insufficient data ` +
      `(95% intervals; p adjusted by Holm over ${tested} key${tested === 1 ? '' : 's'})`,
  ]
  if (keys.length === 0) return [...lines, 'neither session recorded run-level metrics']
  lines.push(
    '',
    ...formatTable(
      [
        'run',
        'key',
        'n',
        'baseline',
        'candidate',
        'diff',
        'change',
        '95% CI',
        'p',
        'p adj',
        'MDE',
        'method',
        'verdict',
      ],
      keys.map((key) => [
        key.run,
        key.key,
        key.method === 'Welch'
          ? `${key.nOnlyBaseline}|${key.nOnlyCandidate}`
          : `${key.nPaired}${key.nOnlyBaseline + key.nOnlyCandidate > 0 ? `+${key.nOnlyBaseline + key.nOnlyCandidate}` : ''}`,
        formatGateNumber(key.baselineMean),
        formatGateNumber(key.candidateMean),
        signed(key.meanDiff),
        key.relative === undefined
          ? '—'
          : `${key.relative > 0 ? '+' : ''}${(key.relative * 100).toFixed(1)}%`,
        key.ciLow === undefined || key.ciHigh === undefined
          ? '—'
          : `[${signed(key.ciLow)}, ${signed(key.ciHigh)}]`,
        formatP(key.pValue),
        formatP(key.pAdjusted),
        key.mde === undefined ? '—' : formatGateNumber(key.mde),
        key.method === 'none' ? '—' : key.method,
        key.verdict,
      ]),
      {
        align: [
          'left',
          'left',
          'right',
          'right',
          'right',
          'right',
          'right',
          'left',
          'right',
          'right',
          'right',
          'left',
          'left',
        ],
      },
    ),
  )
  const notes = keys.flatMap((key) => key.notes.map((note) => `  ${key.run} · ${key.key}: ${note}`))
  if (notes.length > 0) lines.push('', 'notes', ...notes)
  const changed = keys.filter((key) => key.changed.length > 0)
  if (options.topInputs > 0 && changed.length > 0) {
    lines.push('', `inputs that changed most (worst first, top ${options.topInputs} per key)`)
    for (const key of changed)
      lines.push('', `${key.run} · ${key.key}`, ...formatChangedInputs(key, options.width))
  }
  return lines
}

/** Two lines per input: its change and input preview, then both outputs side by side. */
function formatChangedInputs(key: ComparedKey, width: number): string[] {
  const lines: string[] = []
  // 4 characters of indent and 3 of separator between the two halves.
  const half = Math.max(20, Math.floor((width - 7) / 2))
  for (const input of key.changed) {
    const head = `  ${signed(input.diff).padStart(8)}  ${formatGateNumber(input.baseline)} → ${formatGateNumber(input.candidate)}  input ${input.inputKey.slice(0, 12)}`
    lines.push(cut(input.input === undefined ? head : `${head}  ${oneLine(input.input)}`, width))
    const left = cut(`baseline: ${oneLine(input.baselineOutput ?? '(no output)')}`, half)
    const right = cut(`candidate: ${oneLine(input.candidateOutput ?? '(no output)')}`, half)
    lines.push(`    ${left}${' '.repeat(Math.max(0, half - displayWidth(left)))} │ ${right}`)
  }
  return lines
}

function describeSession(session: ComparedSession): string {
  const parts = [session.session]
  if (session.startedAt !== null) parts.push(formatTime(session.startedAt))
  if (session.gitSha !== null) parts.push(`git ${session.gitSha.slice(0, 7)}`)
  return parts.join(' · ')
}

/** Text cut to `width` characters, with `…` when cut. */
function cut(text: string, width: number): string {
  const characters = [...text]
  return characters.length <= width ? text : `${characters.slice(0, Math.max(0, width - 1)).join('')}…`
}

function signed(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—'
  return `${value > 0 ? '+' : ''}${formatGateNumber(value)}`
}

function formatP(value: number | undefined): string {
  if (value === undefined || Number.isNaN(value)) return '—'
  if (value < 0.0001) return '<0.0001'
  return value.toFixed(4)
}
