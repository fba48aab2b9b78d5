/**
 * Gate definitions: a run-level key and a parsed threshold expression, from the plugin's `thresholds`
 * (`{ 'summarize.quality': ['avg >= 0.8', 'avg >= baseline - 0.05'] }`) or from the CLI
 * (`'summarize.quality: avg >= 0.8'`).
 */
import { parseThreshold, ThresholdParseError } from './expression-parser.js'
import type { ThresholdExpression } from './threshold-expression.js'

/** One gate: a run-level key and an expression over its series. */
export interface GateDefinition {
  /** Run-level metric key, e.g. `summarize.quality`. */
  readonly key: string
  /** The expression as written. */
  readonly source: string
  readonly expression: ThresholdExpression
}

/** A threshold that does not parse, naming its key; `cause` is the {@link ThresholdParseError}. */
export class GateDefinitionError extends Error {
  override name = 'GateDefinitionError'
}

/**
 * Parses every expression of a thresholds record, in order; throws a {@link GateDefinitionError} naming the
 * key.
 */
export function parseGateDefinitions(
  thresholds: Readonly<Record<string, readonly string[]>>,
): GateDefinition[] {
  const gates: GateDefinition[] = []
  for (const [key, sources] of Object.entries(thresholds)) {
    for (const source of sources) gates.push(parseGate(key, source))
  }
  return gates
}

/** Parses one gate; throws a {@link GateDefinitionError} naming the key, the column and what would fit. */
export function parseGate(key: string, source: string): GateDefinition {
  try {
    return { key, source, expression: parseThreshold(source) }
  } catch (error) {
    if (error instanceof ThresholdParseError) {
      throw new GateDefinitionError(`threshold "${key}": ${JSON.stringify(source)}: ${error.message}`, {
        cause: error,
      })
    }
    throw error
  }
}

/**
 * Parses a CLI gate argument `'<key>: <expression>'` (split at the last colon, since expressions have
 * none); throws a {@link GateDefinitionError} when the colon or either side is missing.
 */
export function parseGateArgument(argument: string): GateDefinition {
  const colon = argument.lastIndexOf(':')
  const key = colon < 0 ? '' : argument.slice(0, colon).trim()
  if (colon < 0 || key === '') {
    throw new GateDefinitionError(
      `gate ${JSON.stringify(argument)} names no key; write "<key>: <expression>", ` +
        'e.g. "summarize.quality: avg >= 0.8", or pass --key',
    )
  }
  return parseGate(key, argument.slice(colon + 1).trim())
}
