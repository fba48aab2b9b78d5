/**
 * The report's view model: everything the template shows, already formatted as text. User data stays
 * plain strings here; the template escapes every one of them. Every `more…` field is the phrase for what a
 * cap left out (`and 3 more candidates`), empty when nothing was.
 */

/** The status classes the stylesheet knows; any other status is shown as `other`. */
export type StatusClass = 'passed' | 'failed' | 'crashed' | 'skipped' | 'running' | 'other'

/** A stored value (or long text) ready to show: cut to a preview, with a note on what was left out. */
export interface TextView {
  readonly text: string
  /** Long or multi-line: shown in a collapsed `<details>` with `summary` as its one-line preview. */
  readonly collapsed: boolean
  readonly summary: string
  /**
   * What was cut, e.g.
   * `showing 1,000 of 48,213 characters · stored value 1.2 MiB (truncated when recorded)`.
   */
  readonly note: string
  readonly cut: boolean
}

/** A named input or output of a task. */
export interface NamedValueView {
  readonly name: string
  readonly value: TextView
}

/** Inputs and outputs of one task, capped, with counts of what was left out. */
export interface TaskValuesView {
  readonly inputs: readonly NamedValueView[]
  readonly outputs: readonly NamedValueView[]
  readonly moreInputs: string
  readonly moreOutputs: string
}

/** The session at the top of the report. */
export interface SessionView {
  readonly id: string
  readonly startedAt: string
  readonly duration: string
  readonly status: string
  readonly statusClass: StatusClass
  readonly gate: string
  readonly gateClass: 'passed' | 'failed' | 'none'
  readonly gitSha: string
  readonly strikesVersion: string
  readonly vitestVersion: string
  readonly root: string
  readonly runCount: string
  readonly taskCount: string
  readonly failedTaskCount: string
}

/** One bar of a distribution, in SVG user units. */
export interface HistogramBar {
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  /** `0.5 – 0.55: 12 values` */
  readonly title: string
}

/** The distribution of a metric's raw values. */
export interface HistogramView {
  readonly width: number
  readonly height: number
  readonly bars: readonly HistogramBar[]
  readonly label: string
}

/** The change of a metric's average against the previous session's run of the same file. */
export interface MetricChangeView {
  readonly arrow: '▲' | '▼' | '='
  readonly delta: string
  readonly previousAvg: string
  readonly regression: boolean
  readonly changeClass: 'regression' | 'improvement' | 'same'
  /** Accessible words for the change: `down 0.12 from 0.8 — regression (higher is better)` */
  readonly title: string
}

/** One run-level key in a run's metric summary. */
export interface MetricView {
  readonly name: string
  readonly count: string
  readonly avg: string
  readonly min: string
  readonly max: string
  readonly p50: string
  readonly p95: string
  /** The 95% interval of the mean over inputs, `[0.71, 0.83]`; `—` when it cannot be computed. */
  readonly ci: string
  /** What the interval rests on: `40 inputs × 5 trials · Wilson · 3 cached calls left out`. */
  readonly ciNote: string
  readonly histogram: HistogramView
  readonly change: MetricChangeView | undefined
  readonly regression: boolean
}

/** One key of a run compared with the baseline run of the same file. */
export interface ComparedKeyView {
  readonly name: string
  /** Paired inputs (`40`), or both sides' inputs unpaired (`30 | 28`). */
  readonly n: string
  readonly baseline: string
  readonly candidate: string
  /** `−0.041 [−0.072, −0.010]`. */
  readonly diff: string
  /** `0.011 (Holm 0.044)`. */
  readonly p: string
  readonly mde: string
  readonly method: string
  readonly verdict: string
  readonly verdictClass: 'regression' | 'improvement' | 'same' | 'insufficient'
  readonly notes: string
}

/** An input whose score changed, with both outputs. */
export interface ChangedInputRowView {
  readonly diff: string
  readonly change: 'regression' | 'improvement'
  /** `0.9 → 0.2`. */
  readonly scores: string
  readonly input: TextView
  readonly baselineOutput: TextView
  readonly candidateOutput: TextView
}

/** The inputs of one key that got worse and better most. */
export interface ChangedInputsView {
  readonly key: string
  readonly heading: string
  readonly rows: readonly ChangedInputRowView[]
}

/**
 * A run compared with its baseline run (the same file in an earlier session), key by key and input by input.
 */
export interface RunComparisonView {
  /** `Compared with session 1f3c9a2b (2026-11-27 19:34:07 UTC)`. */
  readonly title: string
  /** How: `paired per input · 95% intervals · p adjusted by Holm over 12 keys`. */
  readonly basis: string
  readonly keys: readonly ComparedKeyView[]
  readonly moreKeys: string
  readonly inputs: readonly ChangedInputsView[]
  readonly moreInputs: string
}

/** One failed task (or test). */
export interface FailureView {
  readonly task: string
  /** `task`, `span` or `test`. */
  readonly kind: string
  /** A failed test whose error no failed task inside it shows. */
  readonly isTest: boolean
  readonly test: string
  readonly errorLine: string
  readonly error: TextView
  readonly stack: TextView | undefined
  readonly values: TaskValuesView
  readonly hasValues: boolean
}

/** A test that passed only after failed attempts. */
export interface FlakyTestView {
  readonly test: string
  /** `passed on attempt 3 of 3 attempts` */
  readonly passedOn: string
  /** One line per failed attempt: `attempt 1: Error: timeout`. */
  readonly failedAttempts: readonly string[]
}

/** A score of a candidate. */
export interface ScoreView {
  readonly name: string
  readonly value: string
  readonly ranked: boolean
}

/** One ranked candidate of a task label. */
export interface CandidateView {
  readonly rank: number
  readonly name: string
  readonly rankValue: string
  readonly scores: readonly ScoreView[]
  readonly moreScores: string
  readonly values: TaskValuesView
}

/** The best candidates of one task label in a run. */
export interface CandidateGroupView {
  readonly label: string
  /** The task's name as written (`Summarize Doc`); the shortest when calls of the label differ. */
  readonly taskName: string
  /** How they are ranked: `by quality (first scorer)`. */
  readonly basis: string
  readonly total: string
  readonly candidates: readonly CandidateView[]
  readonly more: string
}

/** One run (eval file) of the session. */
export interface RunView {
  readonly anchor: string
  readonly name: string
  readonly project: string
  readonly status: string
  readonly statusClass: StatusClass
  readonly duration: string
  readonly tasks: string
  readonly failedTasks: number
  readonly failedTasksText: string
  readonly tests: string
  readonly failedTestsText: string
  /** `1 flaky`, or empty when no test needed retries to pass. */
  readonly flakyTestsText: string
  readonly flakyTests: readonly FlakyTestView[]
  /** The error outside the run's tests (import-time throw, suite hook, unhandled rejection). */
  readonly error: TextView | undefined
  readonly params: string
  readonly tags: readonly string[]
  readonly crashed: boolean
  readonly previous: string
  readonly metrics: readonly MetricView[]
  readonly moreMetrics: string
  /** The run compared with its baseline run; absent when there is none. */
  readonly comparison: RunComparisonView | undefined
  readonly regressions: number
  /** `2 regressions`, or empty when none. */
  readonly regressionText: string
  readonly failures: readonly FailureView[]
  readonly failureCount: string
  readonly moreFailures: string
  readonly candidateGroups: readonly CandidateGroupView[]
  readonly moreLabels: string
}

/** The whole report. */
export interface ReportModel {
  readonly session: SessionView
  readonly runs: readonly RunView[]
  readonly moreRuns: string
  readonly generatedAt: string
  readonly strikesVersion: string
  readonly topN: number
}
