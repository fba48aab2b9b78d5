/**
 * `matchesSchema`: 1 when the output satisfies a zod schema — as it is, or, for a string, as the JSON it
 * parses to.
 */
import type { core, safeParseAsync } from 'zod'
import { type Scorer, scorer } from '../scorer.js'
import { describeThrown } from '../serialise.js'
import { nameFrom, readOptions, type ScorerOptions } from './scorer-options.js'

/** The most issues kept in a failed score's metadata (`issue_count` has the total). */
const MAX_ISSUES = 20

/** One problem zod found, as kept in metadata. */
export interface SchemaIssue {
  /** Dotted path to the offending value (`items.0.price`; empty for the root). */
  path: string
  code: string
  message: string
}

/**
 * Scores 1 when the output, or the JSON a string output parses to, satisfies the zod schema (default name
 * `matches_schema`).
 */
export function matchesSchema<S extends core.$ZodType, A extends unknown[] = unknown[]>(
  schema: S,
  options?: ScorerOptions,
): Scorer<core.input<S> | string, A> {
  const name = nameFrom(readOptions(options, 'matchesSchema'), 'matches_schema', 'matchesSchema')
  if (typeof schema !== 'object' || schema === null || !('_zod' in schema)) {
    throw new TypeError(
      'strikes: matchesSchema() needs a zod schema (zod 4), e.g. matchesSchema(z.object({ … }))',
    )
  }
  return scorer<core.input<S> | string, A>(name, async (output) => {
    const direct = await check(schema, output)
    if (direct.ok || typeof output !== 'string') return verdict(direct)
    let parsed: unknown
    try {
      parsed = JSON.parse(output)
    } catch {
      // Not JSON: the string's own issues stand.
      return verdict(direct)
    }
    const fromJson = await check(schema, parsed)
    return verdict(fromJson.ok ? fromJson : { ...fromJson, parsedFromJson: true })
  })
}

/**
 * zod's parser, loaded the first time a schema is checked (zod stays out of eval files that do not use this
 * scorer).
 */
let zodParse: Promise<typeof safeParseAsync> | undefined

type Check = { ok: true } | { ok: false; issues: SchemaIssue[]; issueCount: number; parsedFromJson?: boolean }

async function check(schema: core.$ZodType, value: unknown): Promise<Check> {
  let result: Awaited<ReturnType<typeof safeParseAsync>>
  zodParse ??= import('zod').then((zod) => zod.safeParseAsync)
  const parse = await zodParse
  try {
    result = await parse(schema, value)
  } catch (error) {
    // A throwing getter or refinement: the output cannot be validated.
    return {
      ok: false,
      issues: [{ path: '', code: 'exception', message: describeThrown(error) }],
      issueCount: 1,
    }
  }
  if (result.success) return { ok: true }
  const issues = result.error.issues
  return {
    ok: false,
    issues: issues.slice(0, MAX_ISSUES).map((issue) => ({
      path: issue.path.map((key) => String(key)).join('.'),
      code: issue.code,
      message: issue.message,
    })),
    issueCount: issues.length,
  }
}

function verdict(result: Check): number | { score: number; metadata: Record<string, unknown> } {
  if (result.ok) return 1
  const metadata: Record<string, unknown> = { issues: result.issues, issue_count: result.issueCount }
  if (result.parsedFromJson === true) metadata.parsed_from_json = true
  return { score: 0, metadata }
}
