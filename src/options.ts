/**
 * Options of the strikes Vitest plugin (and of `--reporter=strikes` without it), validated with zod so a
 * wrong option fails with a message naming it.
 */
import { z } from 'zod'
import { thresholdParseError } from '../reporter/gate/expression-parser.js'
import { DEFAULT_SETTINGS, type RecordingSettings } from './settings.js'

/** The include glob the plugin adds so `.eval.*` files are test files. */
export const EVAL_INCLUDE = '**/*.eval.{ts,mts,js,mjs}'

/** Options of `strikes(options)` in `vitest.config.ts`. */
export interface StrikesOptions {
  /** Project recorded on each run; default: the `name` in the root's package.json. */
  project?: string
  /** DuckDB file; default `.strikes/strikes.duckdb` under the Vitest root. */
  db?: string
  /** HTML report written after each session; default `.strikes/report.html`; `false` to disable. */
  report?: string | false
  /** Candidates shown per task label in the report; default 5. */
  topN?: number
  /** Metric that ranks the candidates of a label in the report: `{ label: metric }`. */
  rankBy?: Record<string, string>
  /**
   * Gates: `{ 'label.metric': 'avg >= 0.8' }` (or an array of expressions per key), evaluated per run on
   * the run-level series of the key. An expression is `<aggregate> <op> <target>`: aggregate `avg mean min
   * max sum count p50 p90 p95 p99 pass_rate`, op `>= > <= < ==`, target a number or `baseline` (the same
   * aggregate in the previous run of the file), optionally `baseline - 0.05`, `baseline + 1`, `baseline * 0.95`.
   */
  thresholds?: Record<string, string | string[]>
  /** Default concurrency of `map`/`many`; default 16. */
  concurrency?: number
  /** Test file globs added to Vitest's include; default `**\/*.eval.{ts,mts,js,mjs}`. */
  include?: string[]
  /** Largest stored value in bytes; default 1 MiB. */
  maxObjectBytes?: number
  /** Export spans over OTLP/HTTP: default on when `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT` is set; `false` disables. */
  otlp?: boolean
  /** Tasks log their arguments and return value unless they say otherwise; default true. */
  autolog?: boolean
  /** Milliseconds before an unanswered scorer scores 0; default 60,000. */
  scorerTimeoutMs?: number
  /** Progress lines of long batches: `false` turns them off, a number sets the interval in ms; default 5,000. */
  progress?: boolean | number
  /** How long to wait for another process's lock on the DuckDB file, in milliseconds; default 120,000. */
  lockTimeoutMs?: number
  /** Gates compare against this session: an id, a git sha, or `latest` (default: the previous session). */
  baseline?: string
  /** A regression gate without a baseline fails instead of passing. */
  strict?: boolean
}

/** Options with every default filled in. */
export interface ResolvedStrikesOptions {
  project: string | undefined
  db: string
  report: string | false
  topN: number
  rankBy: Record<string, string>
  thresholds: Record<string, string[]>
  include: string[]
  otlp: boolean | undefined
  lockTimeoutMs: number
  baseline: string | undefined
  strict: boolean
  settings: RecordingSettings
}

const optionsSchema = z
  .object({
    project: z.string().min(1).optional(),
    db: z.string().min(1).optional(),
    report: z.union([z.string().min(1), z.literal(false)]).optional(),
    topN: z.number().int().nonnegative().optional(),
    rankBy: z.record(z.string(), z.string().min(1)).optional(),
    thresholds: z
      .record(z.string().min(1), z.union([z.string(), z.array(z.string()).min(1)]))
      .superRefine(checkThresholdExpressions)
      .optional(),
    concurrency: z.number().int().positive().optional(),
    include: z.array(z.string().min(1)).optional(),
    maxObjectBytes: z.number().int().positive().optional(),
    otlp: z.boolean().optional(),
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
    project: given.project,
    db: given.db ?? '.strikes/strikes.duckdb',
    report: given.report ?? '.strikes/report.html',
    topN: given.topN ?? 5,
    rankBy: given.rankBy ?? {},
    thresholds: Object.fromEntries(
      Object.entries(given.thresholds ?? {}).map(([key, value]) => [
        key,
        Array.isArray(value) ? value : [value],
      ]),
    ),
    include: given.include ?? [EVAL_INCLUDE],
    otlp: given.otlp,
    lockTimeoutMs: given.lockTimeoutMs ?? 120_000,
    baseline: given.baseline,
    strict: given.strict ?? false,
    settings: {
      autolog: given.autolog ?? DEFAULT_SETTINGS.autolog,
      concurrency: given.concurrency ?? DEFAULT_SETTINGS.concurrency,
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
