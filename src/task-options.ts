/**
 * Options of `evalTask`, validated with zod so a wrong option fails at definition with a message naming it.
 */
import { z } from 'zod'
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
}

/** Options of `task.with(...)`: task options, plus `append` to extend scorers, tags and attributes. */
export type TaskWithOptions<A extends unknown[], R> = TaskOptions<A, R> & { append?: boolean }

const attributeValue = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.array(z.string()),
  z.array(z.number()),
  z.array(z.boolean()),
])

const stringList = z.array(z.string())

const taskOptionsSchema = z
  .object({
    name: z.string().optional(),
    label: z.string().optional(),
    scorers: z
      .array(
        z.custom<object>(
          (value) => typeof value === 'function' || (typeof value === 'object' && value !== null),
          'expected a scorer() or an autoevals-style function',
        ),
      )
      .optional(),
    tags: stringList.optional(),
    logInputs: z.union([z.boolean(), stringList]).optional(),
    logOutput: z.boolean().optional(),
    logExecutionMetrics: z.boolean().optional(),
    assertScores: z.union([z.boolean(), stringList]).optional(),
    inputNames: stringList.optional(),
    concurrency: z.number().int().positive().optional(),
    attributes: z.record(z.string(), attributeValue).optional(),
    expected: z
      .custom<(...args: never[]) => unknown>((value) => typeof value === 'function', 'expected a function')
      .optional(),
    rankBy: z.string().min(1).optional(),
    scorerTimeoutMs: z.number().positive().optional(),
    append: z.boolean().optional(),
  })
  .strict()

/** Validates task options; throws a `TypeError` naming each wrong option and the task. */
export function checkTaskOptions(options: unknown, where: string): void {
  const result = taskOptionsSchema.safeParse(options)
  if (result.success) return
  const problems = result.error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys')
      return `unknown option ${issue.keys.map((key) => `"${key}"`).join(', ')}`
    const path = issue.path.length === 0 ? 'options' : `option "${issue.path.map(String).join('.')}"`
    return `${path}: ${issue.message}`
  })
  throw new TypeError(`strikes: invalid options for ${where}: ${problems.join('; ')}`)
}
