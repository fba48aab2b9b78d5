/**
 * Options of `evalTask`, checked at definition so a wrong option fails with a message naming it and the
 * task. Plain checks rather than a schema library: they run in every test worker, once per task.
 */
import { describeKind } from './describe-value.js'
import type { AttributeValue } from './metrics.js'
import type { ScorerContext, ScorerLike } from './scorer.js'

/** Options of `evalTask` (all optional). */
export interface TaskOptions<A extends unknown[] = unknown[], R = unknown> {
  /** Human-readable name shown in reports; default: the function's name. */
  name?: string
  /** Metric prefix on the run; default: derived from `name` (lowercase, non `a-z0-9_` runs → `_`). */
  label?: string
  /** Scorers run after each successful call; each logs a metric named after it. */
  scorers?: ReadonlyArray<ScorerLike<R, A>>
  tags?: readonly string[]
  /** `true`: log every argument; `false`: none; a list: only those input names. Default: the run's autolog. */
  logInputs?: boolean | readonly string[]
  /** Log the return value as output `output`. Default: the run's autolog. */
  logOutput?: boolean
  /** Log run-level `<label>.exec.count` (count) and `<label>.exec.success_rate` (avg). */
  logExecutionMetrics?: boolean
  /** Fail the call when any listed score (or every score, with `true`) is falsy. */
  assertScores?: boolean | readonly string[]
  /** Names of positional arguments; default: the function's own parameter names. */
  inputNames?: readonly string[]
  /** Default concurrency of `map`/`many` for this task. */
  concurrency?: number
  /** Attributes set on every span of this task. */
  attributes?: Readonly<Record<string, AttributeValue>>
  /** The expected value scorers compare against; default: `input.expected` when the first argument has it. */
  expected?: (context: Omit<ScorerContext<A>, 'expected' | 'task'>) => unknown
  /** Metric that ranks this task's spans in `topN`; default: the average of all metrics. */
  rankBy?: string
  /** Milliseconds after which a scorer that has not answered scores 0; default: the run's setting (60 s). */
  scorerTimeoutMs?: number
  /**
   * The identity of a call's input (a dataset row id), stored as `spans.input_key` to pair the same input
   * across sessions; default: a hash of the label and the logged inputs. Use it when inputs carry noise
   * (timestamps, random ids) that would make every call look new.
   */
  key?: (...args: A) => string | number
}

/** Options of `task.with(...)`: task options, plus `append` to extend scorers, tags and attributes. */
export type TaskWithOptions<A extends unknown[], R> = TaskOptions<A, R> & { append?: boolean }

/** A check of one option's value: the problem, or `undefined` when the value fits. */
type OptionCheck = (value: unknown) => string | undefined

const isString = (value: unknown): value is string => typeof value === 'string'
const isStringList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isString)
const isAttributeValue = (value: unknown): boolean =>
  ['string', 'number', 'boolean'].includes(typeof value) ||
  (Array.isArray(value) &&
    (value.every(isString) ||
      value.every((item) => typeof item === 'number') ||
      value.every((item) => typeof item === 'boolean')))

const expect =
  (fits: (value: unknown) => boolean, wanted: string): OptionCheck =>
  (value) =>
    fits(value) ? undefined : `expected ${wanted}, got ${describeKind(value)}`

const string = expect(isString, 'a string')
const boolean = expect((value) => typeof value === 'boolean', 'a boolean')
const stringList = expect(isStringList, 'an array of strings')
const booleanOrList = expect(
  (value) => typeof value === 'boolean' || isStringList(value),
  'a boolean or an array of strings',
)
const positiveNumber = expect(
  (value) => typeof value === 'number' && value > 0 && value < Infinity,
  'a number > 0',
)
const isFunction = (value: unknown): boolean => typeof value === 'function'

/** The check of every option `evalTask` and `with()` accept. */
const CHECKS: Readonly<Record<string, OptionCheck>> = {
  name: string,
  label: string,
  scorers: (value) => {
    if (!Array.isArray(value)) return `expected an array of scorers, got ${describeKind(value)}`
    const bad = value.findIndex((item) => !isFunction(item) && (typeof item !== 'object' || item === null))
    return bad === -1
      ? undefined
      : `item ${bad}: expected a scorer() or an autoevals-style function, got ${describeKind(value[bad])}`
  },
  tags: stringList,
  logInputs: booleanOrList,
  logOutput: boolean,
  logExecutionMetrics: boolean,
  assertScores: booleanOrList,
  inputNames: stringList,
  concurrency: expect((value) => Number.isInteger(value) && (value as number) > 0, 'an integer > 0'),
  attributes: (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      return `expected a record of attribute values, got ${describeKind(value)}`
    const bad = Object.keys(value).find((key) => !isAttributeValue((value as Record<string, unknown>)[key]))
    return bad === undefined
      ? undefined
      : `attribute ${JSON.stringify(bad)}: expected a string, number, boolean or an array of one of them`
  },
  expected: expect(isFunction, 'a function'),
  rankBy: expect((value) => isString(value) && value !== '', 'a non-empty string'),
  scorerTimeoutMs: positiveNumber,
  key: expect(isFunction, 'a function'),
  append: boolean,
}

/** Checks task options; throws a `TypeError` naming each wrong option and the task. */
export function checkTaskOptions(options: object, where: string): void {
  const problems: string[] = []
  const unknown: string[] = []
  for (const key of Object.keys(options)) {
    const value = (options as Record<string, unknown>)[key]
    const check = Object.hasOwn(CHECKS, key) ? CHECKS[key] : undefined
    if (check === undefined) unknown.push(`"${key}"`)
    else if (value !== undefined) {
      const problem = check(value)
      if (problem !== undefined) problems.push(`option "${key}": ${problem}`)
    }
  }
  if (unknown.length > 0) problems.push(`unknown option ${unknown.join(', ')}`)
  if (problems.length > 0)
    throw new TypeError(`strikes: invalid options for ${where}: ${problems.join('; ')}`)
}
