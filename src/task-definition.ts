/**
 * A task's definition: what `evalTask` resolves once from its options and function — name, label,
 * scorers and their metric names, asserted scores, input names — after checking every option.
 */
import { cleanLabel, deriveLabel } from './labels.js'
import { readParameterNames } from './parameters.js'
import { type Scorer, toScorer } from './scorer.js'
import { checkTaskOptions, type TaskOptions, type TaskWithOptions } from './task-options.js'

/** What one task is made of, resolved once at definition. */
export interface TaskDefinition<A extends unknown[], R> {
  readonly name: string
  readonly label: string
  readonly fn: (...args: A) => R | Promise<R>
  readonly options: TaskOptions<A, R>
  readonly parameterNames: string[] | undefined
  readonly scorers: Scorer<R, A>[]
  /** The metric name of each scorer (its cleaned name), in order. */
  readonly scorerNames: readonly string[]
  readonly asserted: ReadonlySet<string> | undefined
  readonly tags: readonly string[]
  /** How the task is named in errors: `task "<name>"`. */
  readonly where: string
  /** The label was given with the `label` option (not derived from the name). */
  readonly explicitLabel: boolean
}

/** Resolves and checks a task's definition; throws a `TypeError` naming the task and the culprit. */
export function defineTask<A extends unknown[], R>(
  options: TaskOptions<A, R>,
  fn: (...args: A) => R | Promise<R>,
): TaskDefinition<A, R> {
  const givenName = options.name ?? (fn.name !== '' ? fn.name : 'task')
  const where = `task "${givenName}"`
  checkTaskOptions(options, where)
  const label = deriveLabel(givenName, options.label, where)
  const scorers = (options.scorers ?? []).map((item) => toScorer(item, where))
  const scorerNames = scorers.map((item) => cleanLabel(item.name))
  const seen = new Set<string>()
  for (const name of scorerNames) {
    if (seen.has(name)) {
      throw new TypeError(
        `strikes: ${where} has two scorers named "${name}", which would log into one metric; rename one (rename(scorer, 'other') from strikes/scorers, or { name })`,
      )
    }
    seen.add(name)
  }
  return {
    name: givenName,
    label,
    fn,
    options,
    parameterNames: options.inputNames !== undefined ? [...options.inputNames] : readParameterNames(fn),
    scorers,
    scorerNames,
    asserted: assertedScores(options.assertScores, seen, where),
    tags: options.tags ?? [],
    where,
    explicitLabel: options.label !== undefined,
  }
}

/** The scores a task asserts, each checked against its scorers' names. */
function assertedScores(
  assertScores: TaskOptions['assertScores'],
  names: ReadonlySet<string>,
  where: string,
): ReadonlySet<string> | undefined {
  if (assertScores === true) return names
  if (!Array.isArray(assertScores)) return undefined
  const asserted = new Set(assertScores.map((name) => cleanLabel(name)))
  for (const name of asserted) {
    if (!names.has(name)) {
      throw new TypeError(
        `strikes: ${where} asserts score "${name}", which none of its scorers produces (scorers: ${[...names].join(', ') || 'none'})`,
      )
    }
  }
  return asserted
}

/** The options of `task.with(options)`: the task's own, overridden (or extended, with `append`). */
export function mergeTaskOptions<A extends unknown[], R>(
  def: TaskDefinition<A, R>,
  options: TaskWithOptions<A, R>,
): TaskOptions<A, R> {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`strikes: ${def.where}.with() needs an options object`)
  }
  const { append, ...rest } = options
  const merged: TaskOptions<A, R> = { ...def.options, ...rest }
  if (def.options.name === undefined && rest.name === undefined) merged.name = def.name
  if (append === true) {
    merged.scorers = [...(def.options.scorers ?? []), ...(rest.scorers ?? [])]
    merged.tags = [...(def.options.tags ?? []), ...(rest.tags ?? [])]
    merged.attributes = { ...(def.options.attributes ?? {}), ...(rest.attributes ?? {}) }
  }
  return merged
}
