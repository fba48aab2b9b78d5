/**
 * `strikes compare` of two sessions: runs matched by project and run name, points by key and `input_key`,
 * each key compared (paired t, McNemar, or Welch when inputs cannot be paired) with Holm's correction
 * across keys — printed as a table with the inputs that changed most and both outputs side by side, or as
 * JSON in the documented shape.
 */

import { formatTime } from '../display-format.js'
import { formatGateNumber } from '../gate/gate-numbers.js'
import { type ComparedKey, compareRuns, sessionFilePairs } from '../stats/compare-runs.js'
import { comparedKeyFigures, jsonNumber } from '../stats/compared-key-json.js'
import type { MetricDirection } from '../stats/comparison-verdict.js'
import { metricDirection } from '../stats/metric-direction.js'
import type { Database } from '../store/database.js'
import { DISPLAY_NAME_CHARS, displayName } from '../terminal-text.js'
import { indentedJson } from './indented-json.js'
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

/**
 * Writes the comparison as `strikes compare --json` prints it — `{ baseline, candidate, keys, inputs }`,
 * the same text as `JSON.stringify(…, null, 2)` — a block of entries per `write`, so that a comparison of
 * a million keys never becomes one string. Numbers that cannot be computed are null.
 */
export function writeComparisonJson(comparison: SessionComparison, write: (text: string) => void): void {
  const { keys } = comparison
  const head = JSON.stringify(
    {
      baseline: { session: comparison.baseline.session },
      candidate: { session: comparison.candidate.session },
    },
    null,
    2,
  )
  write(`${head.slice(0, -2)},`)
  writeJsonArray(
    'keys',
    keys,
    (key) => [
      {
        ...comparedKeyFigures(key),
        project: key.project,
        method: key.method,
        direction: key.direction,
        relative: jsonNumber(key.relative),
        notes: key.notes,
      },
    ],
    write,
    ',',
  )
  writeJsonArray(
    'inputs',
    keys,
    (key) =>
      key.changed.map((input) => ({
        run: key.run,
        key: key.key,
        input_key: input.inputKey,
        baseline: jsonNumber(input.baseline),
        candidate: jsonNumber(input.candidate),
        diff: jsonNumber(input.diff),
        baseline_output: input.baselineOutput ?? null,
        candidate_output: input.candidateOutput ?? null,
      })),
    write,
    '',
  )
  write('}')
}

/** Entries written per block of JSON text. */
const JSON_BLOCK = 1000

/** `"name": [ … ]` as a member of the top-level object, its entries indented as `JSON.stringify` does. */
function writeJsonArray<T>(
  name: string,
  items: readonly T[],
  entries: (item: T) => readonly unknown[],
  write: (text: string) => void,
  after: string,
): void {
  let block: string[] = []
  let opened = false
  const flush = (last: boolean): void => {
    if (!opened) write(`  "${name}": [`)
    opened = true
    write(`${block.join(',\n')}${last ? '' : ','}`)
    block = []
  }
  for (const item of items) {
    for (const entry of entries(item)) {
      if (block.length === JSON_BLOCK) flush(false)
      block.push(indentedJson(entry, '    '))
    }
  }
  if (!opened && block.length === 0) {
    write(`  "${name}": []${after}`)
    return
  }
  flush(true)
  write(`  ]${after}`)
}

/** How the table is laid out. */
export interface FormatComparisonOptions {
  /** Terminal width the changed inputs' previews are cut to. */
  readonly width: number
  readonly topInputs: number
  /** Keys the table shows at most (regressed first, then improved, then the rest); the rest are counted. */
  readonly limit: number
}

/** Keys shown with their changed inputs at most, and notes printed at most. */
const MAX_KEYS_WITH_INPUTS = 20
const MAX_NOTES = 50

/** The comparison as lines of text: sessions, the key table, notes, and the inputs that changed most. */
export function formatComparison(comparison: SessionComparison, options: FormatComparisonOptions): string[] {
  const { keys } = comparison
  const counts = new Map<string, number>()
  let tested = 0
  for (const key of keys) {
    counts.set(key.verdict, (counts.get(key.verdict) ?? 0) + 1)
    if (key.pAdjusted !== undefined) tested += 1
  }
  const count = (verdict: string): number => counts.get(verdict) ?? 0
  const lines = [
    `baseline   ${describeSession(comparison.baseline)}`,
    `candidate  ${describeSession(comparison.candidate)}`,
    `${keys.length} key${keys.length === 1 ? '' : 's'}: ${count('regressed')} regressed · ${count('improved')} improved · ` +
      `${count('no_change')} no change · ${count('insufficient_data')} insufficient data ` +
      `(95% intervals; p adjusted by Holm over ${tested} key${tested === 1 ? '' : 's'})`,
  ]
  if (keys.length === 0) return [...lines, 'neither session recorded run-level metrics']
  const shown = shownKeys(keys, options.limit)
  lines.push('')
  for (const line of formatKeyTable(shown)) lines.push(line)
  if (shown.length < keys.length) {
    lines.push(
      `… and ${(keys.length - shown.length).toLocaleString('en-US')} more keys (raise --limit, or use --json for all)`,
    )
  }
  const notes: string[] = []
  let moreNotes = 0
  for (const key of shown) {
    for (const note of key.notes) {
      if (notes.length < MAX_NOTES) notes.push(`  ${displayName(key.run)} · ${displayName(key.key)}: ${note}`)
      else moreNotes += 1
    }
  }
  if (notes.length > 0) {
    lines.push('', 'notes')
    for (const note of notes) lines.push(note)
    if (moreNotes > 0)
      lines.push(`  … and ${moreNotes.toLocaleString('en-US')} more notes (use --json for all)`)
  }
  const changed = shown.filter((key) => key.changed.length > 0)
  if (options.topInputs > 0 && changed.length > 0) {
    lines.push('', `inputs that changed most (worst first, top ${options.topInputs} per key)`)
    for (const key of changed.slice(0, MAX_KEYS_WITH_INPUTS)) {
      lines.push('', `${displayName(key.run)} · ${displayName(key.key)}`)
      for (const line of formatChangedInputs(key, options.width)) lines.push(line)
    }
    if (changed.length > MAX_KEYS_WITH_INPUTS) {
      lines.push(
        '',
        `… and ${changed.length - MAX_KEYS_WITH_INPUTS} more keys with changed inputs (use --json for all)`,
      )
    }
  }
  return lines
}

/** All keys when they fit `limit`; else the first `limit` with regressed keys first, then improved ones. */
function shownKeys(keys: readonly ComparedKey[], limit: number): readonly ComparedKey[] {
  if (keys.length <= limit) return keys
  const shown: ComparedKey[] = []
  for (const verdicts of [['regressed'], ['improved'], ['no_change', 'insufficient_data']]) {
    for (const key of keys) {
      if (shown.length === limit) return shown
      if (verdicts.includes(key.verdict)) shown.push(key)
    }
  }
  return shown
}

function formatKeyTable(keys: readonly ComparedKey[]): string[] {
  return formatTable(
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
      key.relative === undefined ? '—' : `${key.relative > 0 ? '+' : ''}${(key.relative * 100).toFixed(1)}%`,
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
      maxCellChars: DISPLAY_NAME_CHARS,
    },
  )
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
  const parts = [displayName(session.session)]
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
