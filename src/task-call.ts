/**
 * One call of a task: its span is started, its inputs logged, the function called in the span's frame,
 * its output logged and scored, and the span ended as succeeded or failed. Every call form is built on
 * `callTask`, which never rejects.
 */
import { activeRun, endedScope, runInFrame } from './current.js'
import { describeValue } from './describe-value.js'
import { ScoreAssertionError, TaskCancelledError, toError } from './errors.js'
import { inputNamesFor } from './parameters.js'
import { runtime } from './runtime.js'
import { runScorer, type ScoreResult, type ScorerContext } from './scorer.js'
import { describeThrown } from './serialise.js'
import type { RecordingSettings } from './shared/settings.js'
import { startSpan } from './span-lifecycle.js'
import type { TaskDefinition } from './task-definition.js'
import type { TaskSpan } from './task-span.js'

/**
 * Runs one call of a task and returns its span; never rejects. One async function per call: the span
 * is started here, synchronously, and the call runs in its frame.
 */
export function callTask<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  args: A,
  trial?: number,
): Promise<TaskSpan<R>> {
  const run = activeRun()
  run?.noteTask(def)
  const settings = run?.settings ?? runtime.settings
  const started = startSpan<R>({
    name: def.name,
    label: def.label,
    kind: 'task',
    tags: def.tags,
    attributes: def.options.attributes,
    trial,
    run,
  })
  if (endedScope(run) !== undefined) {
    // Started after its test (or file) ended, by a batch still draining: cancelled, never called.
    started.span.fail(new TaskCancelledError(`${def.where} started after its test ended; it was cancelled`))
    return Promise.resolve(started.span)
  }
  if (def.options.key !== undefined) {
    const failure = setInputKey(def, started.span, args)
    if (failure !== undefined) {
      started.span.fail(failure)
      return Promise.resolve(started.span)
    }
  }
  return runInFrame(started.frame, callInSpan<A, R>, def, started.span, args, settings)
}

async function callInSpan<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  args: A,
  settings: RecordingSettings,
): Promise<TaskSpan<R>> {
  let output: R
  try {
    logInputs(def, span, args, settings)
    output = await def.fn(...args)
    if (def.options.logOutput ?? settings.autolog) span.logOutput('output', output)
    if (def.scorers.length > 0) {
      const scored = score(def, span, output, args, settings)
      const results = Array.isArray(scored) ? scored : await scored
      const failedScores = recordScores(def, span, results)
      if (failedScores.length > 0) throw new ScoreAssertionError(def.name, failedScores)
    }
  } catch (thrown) {
    if (def.options.logExecutionMetrics === true && span.open) logExecution(span, false)
    span.fail(toError(thrown, def.where))
    return span
  }
  if (def.options.logExecutionMetrics === true && span.open) logExecution(span, true)
  span.succeed(output)
  return span
}

/** Sets the span's input key from the task's `key` option; returns the error when the option fails. */
function setInputKey<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  args: A,
): Error | undefined {
  let key: unknown
  try {
    key = def.options.key?.(...args)
  } catch (thrown) {
    return toError(thrown, `the key option of ${def.where}`)
  }
  if ((typeof key === 'string' && key !== '') || (typeof key === 'number' && Number.isFinite(key))) {
    span.setInputKey(String(key))
    return undefined
  }
  return new TypeError(
    `strikes: the key option of ${def.where} must return a non-empty string or a finite number, got ${describeValue(key)}`,
  )
}

/** The output of a call's span, or its error thrown. */
export function outputOrThrow<R>(span: TaskSpan<R>): R {
  if (span.failed) throw span.error
  return span.output as R
}

/** The span of a call, or its error thrown. */
export function spanOrThrow<R>(span: TaskSpan<R>): TaskSpan<R> {
  if (span.failed) throw span.error
  return span
}

function logInputs<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  args: A,
  settings: RecordingSettings,
): void {
  const which = def.options.logInputs ?? settings.autolog
  if (which === false || args.length === 0) return
  const names = inputNamesFor(def.parameterNames, args.length)
  for (let i = 0; i < args.length; i++) {
    const name = names[i] as string
    if (which === true || which.includes(name)) span.logInput(name, args[i])
  }
}

function logExecution(span: TaskSpan, success: boolean): void {
  span.recordMetric('exec.count', 1, { mode: 'count' }, 'exec')
  span.recordMetric('exec.success_rate', success, { mode: 'avg' }, 'exec')
}

/**
 * Runs the task's scorers concurrently. Synchronous scorers answer at once, so the results come back
 * without waiting (an array) unless a scorer returned a promise.
 */
function score<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  output: R,
  args: A,
  settings: RecordingSettings,
): ScoreResult[] | Promise<ScoreResult[]> {
  const input = args[0]
  let expected: unknown
  try {
    expected =
      def.options.expected !== undefined
        ? def.options.expected({ args, input })
        : expectedFromInput(input as unknown)
  } catch (thrown) {
    const error = `the expected-value hook threw: ${describeThrown(thrown)}`
    return def.scorerNames.map((name) => ({ name, value: 0, metadata: {}, error }))
  }
  const scorerContext: ScorerContext<A> = { args, input, expected, task: span as TaskSpan }
  const timeoutMs = def.options.scorerTimeoutMs ?? settings.scorerTimeoutMs
  const results = def.scorers.map((item, index) =>
    runScorer(item, output, scorerContext, timeoutMs, def.scorerNames[index]),
  )
  for (const result of results) if (result instanceof Promise) return Promise.all(results)
  return results as ScoreResult[]
}

/** Logs each score as a metric (warning for failed scorers) and returns the asserted scores that failed. */
function recordScores<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  span: TaskSpan<R>,
  results: readonly ScoreResult[],
): { name: string; value: number }[] {
  const failed: { name: string; value: number }[] = []
  const originHash = span.outputHash
  for (const result of results) {
    const attributes: Record<string, unknown> = result.metadata
    if (result.error !== undefined) {
      attributes.error = result.error
      console.warn(`strikes: ${def.where}: ${result.error}; scored 0`)
    }
    span.recordMetric(result.name, result.value, { attributes }, 'scorer', originHash)
    if (def.asserted?.has(result.name) === true && !result.value)
      failed.push({ name: result.name, value: result.value })
  }
  return failed
}

function expectedFromInput(input: unknown): unknown {
  if (typeof input === 'object' && input !== null && 'expected' in input)
    return (input as { expected: unknown }).expected
  return undefined
}
