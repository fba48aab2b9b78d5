/**
 * Options of the strikes Vitest plugin (and of `--reporter=strikes` without it), validated with zod in
 * the main process so a wrong option fails with a message naming it; workers receive them validated.
 */
import { z } from 'zod'
import { DEFAULT_SETTINGS, type RecordingSettings, trialsFromEnv } from '../../src/shared/settings.js'
import { EVAL_INCLUDE } from '../../src/shared/strikes-options.js'
import { thresholdParseError } from '../gate/expression-parser.js'
import { DEFAULT_DB_PATH, DEFAULT_LOCK_TIMEOUT_MS } from '../store/defaults.js'

export type { StrikesOptions } from '../../src/shared/strikes-options.js'

/** Options with every default filled in. */
export interface ResolvedStrikesOptions {
  /** False with `enabled: false` or `STRIKES=0`: eval files still run, nothing is recorded or gated. */
  enabled: boolean
  project: string | undefined
  db: string
  report: string | false
  /** The JUnit XML of the gates (relative to the Vitest root), or `false`. */
  junit: string | false
  topN: number
  rankBy: Record<string, string>
  thresholds: Record<string, string[]>
  include: string[]
  otlp: boolean | undefined
  /** `otlp: { content }`; `undefined` follows the environment. */
  otlpContent: boolean | undefined
  lockTimeoutMs: number
  baseline: string | undefined
  strict: boolean
  settings: RecordingSettings
}

const optionsSchema = z
  .object({
    enabled: z.boolean().optional(),
    project: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
    report: z.union([z.string().min(1), z.literal(false)]).optional(),
    junit: z.union([z.string().min(1), z.literal(false)]).optional(),
    topN: z.number().int().nonnegative().optional(),
    rankBy: z.record(z.string(), z.string().min(1)).optional(),
    thresholds: z
      .record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)]))
      .superRefine(checkThresholdExpressions)
      .optional(),
    concurrency: z.number().int().positive().optional(),
    trials: z.number().int().positive().optional(),
    include: z.array(z.string().min(1)).optional(),
    maxObjectBytes: z.number().int().positive().optional(),
    otlp: z
      .union([
        z.boolean(),
        z.object({ enabled: z.boolean().optional(), content: z.boolean().optional() }).strict(),
      ])
      .optional(),
    autolog: z.boolean().optional(),
    scorerTimeoutMs: z.number().positive().optional(),
    progress: z.union([z.boolean(), z.number().int().nonnegative()]).optional(),
    lockTimeoutMs: z.number().nonnegative().optional(),
    baseline: z.string().min(1).optional(),
    strict: z.boolean().optional(),
  })
  .strict()

/** Adds an issue for every threshold expression that does not parse, naming its key, the column and what fits. */
function checkThresholdExpressions(
  thresholds: Record<string, string | string[]>,
  context: z.RefinementCtx,
): void {
  for (const [key, value] of Object.entries(thresholds)) {
    for (const source of Array.isArray(value) ? value : [value]) {
      const error = thresholdParseError(source)
      if (error === undefined) continue
      context.addIssue({
        code: 'custom',
        message: `key ${JSON.stringify(key)}, expression ${JSON.stringify(source)}: ${error.message}`,
      })
    }
  }
}

/** The default path of the gates' JUnit XML, beside the database. */
export const DEFAULT_JUNIT_PATH = '.strikes/gates.xml'

/** True when the environment turns recording off (`STRIKES=0`, `STRIKES=false`, `STRIKES=off`). */
export function recordingOffByEnvironment(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.STRIKES?.trim().toLowerCase()
  return value === '0' || value === 'false' || value === 'off'
}

/** Validates plugin options and fills in defaults; throws an error naming each wrong option. */
export function resolveOptions(options: unknown = {}): ResolvedStrikesOptions {
  const result = optionsSchema.safeParse(options ?? {})
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown option ${issue.keys.map((key) => `"${key}"`).join(', ')}`
      }
      const path = issue.path.length === 0 ? 'options' : `option "${issue.path.map(String).join('.')}"`
      return `${path}: ${issue.message}`
    })
    throw new TypeError(`strikes: invalid plugin options: ${problems.join('; ')}`)
  }
  const given = result.data
  return {
    enabled: given.enabled !== false && !recordingOffByEnvironment(),
    project: given.project,
    db: given.db ?? DEFAULT_DB_PATH,
    report: given.report ?? '.strikes/report.html',
    junit: given.junit ?? DEFAULT_JUNIT_PATH,
    topN: given.topN ?? 5,
    rankBy: given.rankBy ?? {},
    thresholds: Object.fromEntries(
      Object.entries(given.thresholds ?? {}).map(([key, value]) => [
        key,
        Array.isArray(value) ? value : [value],
      ]),
    ),
    include: given.include ?? [EVAL_INCLUDE],
    otlp: typeof given.otlp === 'object' ? given.otlp.enabled : given.otlp,
    otlpContent: typeof given.otlp === 'object' ? given.otlp.content : undefined,
    lockTimeoutMs: given.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    baseline: given.baseline,
    strict: given.strict ?? false,
    settings: {
      autolog: given.autolog ?? DEFAULT_SETTINGS.autolog,
      concurrency: given.concurrency ?? DEFAULT_SETTINGS.concurrency,
      trials: trialsFromEnv() ?? given.trials ?? DEFAULT_SETTINGS.trials,
      maxObjectBytes: given.maxObjectBytes ?? DEFAULT_SETTINGS.maxObjectBytes,
      scorerTimeoutMs: given.scorerTimeoutMs ?? DEFAULT_SETTINGS.scorerTimeoutMs,
      progressMs:
        given.progress === false
          ? 0
          : typeof given.progress === 'number'
            ? given.progress
            : DEFAULT_SETTINGS.progressMs,
    },
  }
}
