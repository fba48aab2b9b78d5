/**
 * The options every built-in scorer takes as its last argument, and how a scorer's name is chosen.
 */
import { cleanLabel } from '../labels.js'

/** Options every built-in scorer accepts as its last argument. */
export interface ScorerOptions {
  /** Name of the metric the scorer logs (cleaned like a label); default: the scorer's own name. */
  name?: string
}

/**
 * Reads a scorer's options argument: `undefined` or an object; throws a `TypeError` naming the scorer
 * otherwise.
 */
export function readOptions<O extends object>(options: O | undefined, scorerName: string): Partial<O> {
  if (options === undefined) return {}
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(
      `strikes: ${scorerName}() takes an options object as its last argument, got ${kindOfOption(options)}`,
    )
  }
  return options
}

/** The name a scorer logs under: the `name` option when given, else its default name. */
export function nameFrom(options: ScorerOptions, defaultName: string, scorerName: string): string {
  const { name } = options
  if (name === undefined) return defaultName
  if (typeof name !== 'string' || cleanLabel(name) === '') {
    throw new TypeError(
      `strikes: ${scorerName}(): option "name" needs letters, digits or "_", ` +
        `got ${JSON.stringify(name) ?? String(name)}`,
    )
  }
  return name
}

function kindOfOption(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}
