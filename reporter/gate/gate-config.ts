/**
 * The gate configuration of a session: for each project that recorded into the database, its thresholds
 * and gate options. The reporter builds it from the plugin options and stores it with the session
 * (`sessions.gate_config`), so the session's gates can be evaluated again later without a vitest config
 * (`evaluateStoredSessionGates`). A stored configuration is read as untrusted data: anything that is not
 * the shape strikes writes is refused with an error naming the session.
 */

/** The gates of one project's runs. */
export interface SessionGateConfig {
  /** `runs.project` the thresholds apply to; `null` for every run of the session. */
  readonly project: string | null
  /** Key → threshold expressions, as the `thresholds` option gives them. */
  readonly thresholds: Readonly<Record<string, readonly string[]>>
  /** Baseline session reference (`latest`, id, id prefix, git sha); `null`: each file's previous run. */
  readonly baseline: string | null
  /** Regression gates without a baseline, and keys whose file did not run, fail. */
  readonly strict: boolean
}

/** What the gate options of one project hold (the plugin's resolved options). */
export interface GateOptions {
  readonly thresholds: Readonly<Record<string, readonly string[]>>
  readonly baseline: string | undefined
  readonly strict: boolean
}

/** The configuration of one project's gates. */
export function gateConfigOf(project: string | null, options: GateOptions): SessionGateConfig {
  return {
    project,
    thresholds: options.thresholds,
    baseline: options.baseline ?? null,
    strict: options.strict,
  }
}

/** Parses `sessions.gate_config` (JSON text); throws an error naming the session when it is malformed. */
export function parseGateConfig(json: string, sessionId: string): SessionGateConfig[] {
  const refuse = (why: string): Error =>
    new Error(`strikes: the gate configuration stored with session ${sessionId} is malformed (${why})`)
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    throw refuse('not JSON')
  }
  if (!Array.isArray(value)) throw refuse('not a list')
  return value.map((item: unknown, index): SessionGateConfig => {
    if (typeof item !== 'object' || item === null) throw refuse(`entry ${index} is not an object`)
    const entry = item as Record<string, unknown>
    const project = entry.project
    if (project !== null && typeof project !== 'string') throw refuse(`entry ${index}: project`)
    const baseline = entry.baseline ?? null
    if (baseline !== null && typeof baseline !== 'string') throw refuse(`entry ${index}: baseline`)
    if (typeof entry.strict !== 'boolean') throw refuse(`entry ${index}: strict`)
    const thresholds = entry.thresholds
    if (typeof thresholds !== 'object' || thresholds === null || Array.isArray(thresholds))
      throw refuse(`entry ${index}: thresholds`)
    const parsed: Record<string, string[]> = Object.create(null)
    for (const [key, expressions] of Object.entries(thresholds)) {
      if (!Array.isArray(expressions) || !expressions.every((source) => typeof source === 'string'))
        throw refuse(`entry ${index}: thresholds of "${key}"`)
      parsed[key] = [...expressions]
    }
    return { project, thresholds: { ...parsed }, baseline, strict: entry.strict }
  })
}
