/**
 * Comparing runs key by key, as `strikes compare` and the report's "Compared with" section do: runs are
 * matched by project and run name (the newest run of each file in each session), keys by name, inputs by
 * `input_key`. Every key gets its figures and a verdict; Holm's correction runs across all the keys of the
 * comparison; the inputs that changed most come with both outputs, cut to a preview.
 */
import type { TextView } from '../report/report-model.js'
import { loadTaskValues } from '../report/stored-values.js'
import type { Database } from '../store/database.js'
import { type ComparisonVerdict, comparisonVerdict, type MetricDirection } from './comparison-verdict.js'
import { holmAdjust } from './holm-correction.js'
import { compareKey, type KeyComparison } from './key-comparison.js'
import { type ChangedInput, type KeySummary, loadKeySummaries } from './key-summaries.js'

/** Two runs of one file: the baseline's and the candidate's (either may be missing). */
export interface FilePair {
  readonly project: string | null
  readonly run: string
  readonly baselineRunId: string | undefined
  readonly candidateRunId: string | undefined
}

/** An input that changed, with both outputs (and the input) as preview text. */
export interface ChangedInputView extends ChangedInput {
  readonly baselineOutput: string | undefined
  readonly candidateOutput: string | undefined
  readonly input: string | undefined
  /** The same previews with what was cut, for the report. */
  readonly views: {
    readonly baselineOutput: TextView | undefined
    readonly candidateOutput: TextView | undefined
    readonly input: TextView | undefined
  }
}

/** One key of one file, compared. */
export interface ComparedKey extends KeyComparison {
  readonly project: string | null
  readonly run: string
  readonly key: string
  readonly direction: MetricDirection
  /** Holm-adjusted across every key of the comparison. */
  readonly pAdjusted: number | undefined
  readonly verdict: ComparisonVerdict
  /** (candidate − baseline) / |baseline|; undefined when the baseline mean is 0 or unknown. */
  readonly relative: number | undefined
  /** The inputs that changed most (at most `topInputs`), worst first. */
  readonly changed: readonly ChangedInputView[]
  /** What the figures were computed from (each side's moments, the paired ones). */
  readonly summary: KeySummary
  /**
   * The inputs that got worse most, worst first, and those that got better most, best first (each at most
   * `topInputs`).
   */
  readonly worsened: readonly ChangedInputView[]
  readonly bettered: readonly ChangedInputView[]
}

/** How to compare. */
export interface CompareRunsOptions {
  /** The direction of a key. */
  readonly direction: (key: string) => MetricDirection
  /** Changed inputs kept per key (default 10; 0 for none). */
  readonly topInputs?: number
  /** Characters of each output (and input) preview (default 200). */
  readonly previewChars?: number
}

/** The changed inputs of a key that has none (most keys of a large comparison): one shared empty list. */
const NO_INPUTS: readonly ChangedInputView[] = Object.freeze([])

/** Compares each pair of runs key by key; keys ordered by file, then key. */
export async function compareRuns(
  database: Database,
  pairs: readonly FilePair[],
  options: CompareRunsOptions,
): Promise<ComparedKey[]> {
  const topInputs = options.topInputs ?? 10
  const summaries = await loadKeySummaries(database, pairs, { topInputs })
  const comparisons = summaries.map((summary) => compareKey(summary))
  const adjusted = holmAdjust(
    comparisons.map((comparison) => (comparison.sufficient ? comparison.pValue : undefined)),
  )
  const previews = await loadPreviews(database, pairs, summaries, options.previewChars ?? 200)
  return summaries.map((summary, index) => {
    const comparison = comparisons[index] as KeyComparison
    const pair = pairs[summary.pair] as FilePair
    const direction = options.direction(summary.key)
    const pAdjusted = adjusted[index]
    const sign = direction === 'higher-is-better' ? 1 : -1
    const worstFirst = (a: ChangedInputView, b: ChangedInputView): number =>
      sign * a.diff - sign * b.diff || a.inputKey.localeCompare(b.inputKey)
    const views =
      summary.changed.length === 0
        ? NO_INPUTS
        : summary.changed.map((input): ChangedInputView => {
            const before = previews.get(previewKey(pair.baselineRunId, input.baselineSpanId))
            const after = previews.get(previewKey(pair.candidateRunId, input.candidateSpanId))
            return {
              ...input,
              baselineOutput: before?.output?.text,
              candidateOutput: after?.output?.text,
              input: before?.input,
              views: {
                baselineOutput: before?.output,
                candidateOutput: after?.output,
                input: before?.inputView,
              },
            }
          })
    // Fields listed, not spread: a comparison may hold a million keys.
    return {
      method: comparison.method,
      nPaired: comparison.nPaired,
      nOnlyBaseline: comparison.nOnlyBaseline,
      nOnlyCandidate: comparison.nOnlyCandidate,
      baselineMean: comparison.baselineMean,
      candidateMean: comparison.candidateMean,
      meanDiff: comparison.meanDiff,
      seDiff: comparison.seDiff,
      df: comparison.df,
      ciLow: comparison.ciLow,
      ciHigh: comparison.ciHigh,
      pValue: comparison.pValue,
      mde: comparison.mde,
      sdDiff: comparison.sdDiff,
      sufficient: comparison.sufficient,
      notes: comparison.notes,
      summary,
      project: pair.project,
      run: pair.run,
      key: summary.key,
      direction,
      pAdjusted,
      verdict: comparisonVerdict({
        sufficient: comparison.sufficient,
        ciLow: comparison.ciLow ?? Number.NaN,
        ciHigh: comparison.ciHigh ?? Number.NaN,
        pAdjusted,
        direction,
      }),
      relative:
        comparison.meanDiff === undefined || !comparison.baselineMean
          ? undefined
          : comparison.meanDiff / Math.abs(comparison.baselineMean),
      ...(views.length === 0
        ? { changed: NO_INPUTS, worsened: NO_INPUTS, bettered: NO_INPUTS }
        : {
            changed: [...views]
              .sort((a, b) => Math.abs(b.diff) - Math.abs(a.diff) || a.inputKey.localeCompare(b.inputKey))
              .slice(0, topInputs)
              .sort(worstFirst),
            worsened: views.filter((input) => sign * input.diff < 0).sort(worstFirst),
            bettered: views
              .filter((input) => sign * input.diff > 0)
              .sort(worstFirst)
              .reverse(),
          }),
    }
  })
}

/** Pairs the runs of two sessions by project and run name (the newest run of a file in each session). */
export async function sessionFilePairs(
  database: Database,
  baselineSessionId: string,
  candidateSessionId: string,
): Promise<FilePair[]> {
  const rows = await database.query<{
    project: string | null
    name: string | null
    baseline_run: string | null
    candidate_run: string | null
  }>(
    `WITH newest AS (
       SELECT session_id, run_id, project, name FROM runs WHERE session_id IN (?, ?)
       QUALIFY row_number() OVER (
         PARTITION BY session_id, project, name ORDER BY started_at DESC, run_id DESC
       ) = 1
     ),
     b AS (SELECT * FROM newest WHERE session_id = ?),
     c AS (SELECT * FROM newest WHERE session_id = ?)
     SELECT coalesce(c.project, b.project) AS project, coalesce(c.name, b.name) AS name,
       b.run_id AS baseline_run, c.run_id AS candidate_run
     FROM b FULL JOIN c ON b.project IS NOT DISTINCT FROM c.project AND b.name IS NOT DISTINCT FROM c.name
     ORDER BY name, project`,
    [baselineSessionId, candidateSessionId, baselineSessionId, candidateSessionId],
  )
  return rows.map((row) => ({
    project: row.project,
    // A crafted file may leave a run unnamed: it is compared under an empty name.
    run: row.name ?? '',
    baselineRunId: row.baseline_run ?? undefined,
    candidateRunId: row.candidate_run ?? undefined,
  }))
}

interface Preview {
  readonly output: TextView | undefined
  /** Every input as `name: text`, joined. */
  readonly input: string | undefined
  readonly inputView: TextView | undefined
}

function previewKey(runId: string | undefined, spanId: string | null): string {
  return `${runId ?? ''}\u0000${spanId ?? ''}`
}

/** The first output and first input of every span standing for a changed input, cut to `chars`. */
async function loadPreviews(
  database: Database,
  pairs: readonly FilePair[],
  summaries: Awaited<ReturnType<typeof loadKeySummaries>>,
  chars: number,
): Promise<Map<string, Preview>> {
  const spansByRun = new Map<string, Set<string>>()
  const want = (runId: string | undefined, spanId: string | null): void => {
    if (runId === undefined || spanId === null) return
    let set = spansByRun.get(runId)
    if (set === undefined) {
      set = new Set()
      spansByRun.set(runId, set)
    }
    set.add(spanId)
  }
  for (const summary of summaries) {
    const pair = pairs[summary.pair]
    for (const input of summary.changed) {
      want(pair?.baselineRunId, input.baselineSpanId)
      want(pair?.candidateRunId, input.candidateSpanId)
    }
  }
  const previews = new Map<string, Preview>()
  const valuesByRun = await loadTaskValues(
    database,
    new Map([...spansByRun].map(([runId, spanIds]) => [runId, [...spanIds]])),
    chars,
  )
  for (const [runId, values] of valuesByRun) {
    for (const [spanId, view] of values) {
      previews.set(previewKey(runId, spanId), {
        output: view.outputs[0]?.value,
        input: view.inputs.map((entry) => `${entry.name}: ${entry.value.text}`).join(', ') || undefined,
        inputView: view.inputs[0]?.value,
      })
    }
  }
  return previews
}
