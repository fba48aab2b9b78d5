/**
 * strikes: Vitest as an evaluation harness for LLM applications.
 *
 * The SDK (`evalTask`, `taskSpan`, logging, scorers, runs) runs in test workers; the default export is
 * the Vitest reporter, so `vitest --reporter=strikes` resolves. It loads the main-process side (DuckDB,
 * gates, the report) only when Vitest starts it in the main process.
 */

export { currentRun } from './current.js'
export { type FailedScore, ScoreAssertionError, TaskCancelledError, ThrownValueError } from './errors.js'
export { cleanLabel } from './labels.js'
export {
  currentTask,
  type LogTarget,
  logInput,
  logInputs,
  logMetric,
  logMetrics,
  logOutput,
  logOutputs,
  logParam,
  logParams,
  tag,
} from './logging.js'
export type {
  AttributeValue,
  LogMetricOptions,
  Metric,
  MetricMode,
  MetricSource,
  MetricSummary,
} from './metrics.js'
export { default } from './reporter-entry.js'
export type { RunInfo } from './run.js'
export {
  type AutoevalsScore,
  type AutoevalsScorer,
  type Scorer,
  type ScorerContext,
  type ScorerLike,
  type ScoreValue,
  scorer,
} from './scorer.js'
export { type SerialisedValue, type SerialiseOptions, serialiseValue } from './serialise.js'
export { type TaskSpanOptions, taskSpan } from './span.js'
export { evalTask, type MapForm, type MapOptions, type Task } from './task.js'
export type { TaskOptions, TaskWithOptions } from './task-options.js'
export { TaskSpan } from './task-span.js'
export { type RankOptions, TaskSpanList } from './task-span-list.js'
export { type RunHandle, type WithRunOptions, withRun } from './with-run.js'
