/**
 * The shape of the strikes plugin's options (and of `--reporter=strikes` without the plugin). They are
 * validated in the main process (`reporter/vitest/options.ts`); test workers receive the result.
 */

/** The include glob the plugin adds so `.eval.*` files are test files. */
export const EVAL_INCLUDE = '**/*.eval.{ts,mts,js,mjs}'

/** The object form of the `otlp` option. */
export interface OtlpOptions {
  /** `true` exports even without an endpoint variable, `false` never; default: whether one is set. */
  enabled?: boolean
  /**
   * Whether task inputs and outputs, prompts and completions, tool arguments and results go on exported
   * spans; default true unless `STRIKES_OTLP_CONTENT=false` (or `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=false`).
   * Metrics and scores are exported either way.
   */
  content?: boolean
}

/** Options of `strikes(options)` in `vitest.config.ts`. */
export interface StrikesOptions {
  /**
   * `false` turns recording off (as does the environment variable `STRIKES=0`): eval files still run as
   * tests, and nothing is recorded, gated or reported.
   */
  enabled?: boolean
  /** Project recorded on each run; default: the `name` in the root's package.json. */
  project?: string
  /** DuckDB file; default `.strikes/strikes.duckdb` under the Vitest root. */
  db?: string
  /** HTML report written after each session; default `.strikes/report.html`; `false` to disable. */
  report?: string | false
  /**
   * JUnit XML of the gates written after each session (one test case per gate and run, failed gates as
   * failures), for CI systems that read JUnit; default `.strikes/gates.xml`; `false` to disable.
   */
  junit?: string | false
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
  /**
   * Calls per item of the map family (`map`, `mapRun`, `tryMap`, `tryMapRun`, `streamMap`) that do not
   * say; default 1. `STRIKES_TRIALS` overrides it (a nightly job runs more trials than a pull request).
   */
  trials?: number
  /** Test file globs added to Vitest's include; default `**\/*.eval.{ts,mts,js,mjs}`. */
  include?: string[]
  /** Largest stored value in bytes; default 1 MiB. */
  maxObjectBytes?: number
  /**
   * Export spans over OTLP: default on when `OTEL_EXPORTER_OTLP_(TRACES_)ENDPOINT` is set; `false` disables,
   * `true` enables. `{ content: false }` keeps inputs, outputs, prompts and completions off exported spans.
   */
  otlp?: boolean | OtlpOptions
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
