/**
 * What a session ran, as the gates need it: the runs they judge (those that ran: passed, failed,
 * crashed), the runs that were stopped (cancelled, skipped), and — for a key no judged run recorded —
 * whether that is because the key's file did not run (`not run`, neutral unless `strict`) or because its
 * file ran and did not record it (`no data`, a failure). Which file a key belongs to is known from the
 * runs that recorded it, in this session or earlier ones. A full session behaves as it always did: only a
 * partial session (or a file it selected that never started, or stopped) makes a key `not run`.
 */
import type { Database } from '../store/database.js'
import type { GatedRun } from './baseline.js'

/** A run of the session that was stopped before its tests ran or finished. */
export interface StoppedRun extends GatedRun {
  readonly status: 'cancelled' | 'skipped'
}

/** Why a key's gates were not judged: on which stopped runs (none: its files did not run at all), and why. */
export interface NotRun {
  readonly runs: readonly StoppedRun[]
  readonly reason: string
}

interface RunRow {
  run_id: string
  project: string | null
  name: string
  status: string | null
}

/** What one session ran, within one project's scope (built by `WhatRan.load`). */
export class WhatRan {
  private readonly owners = new Map<string, Promise<Set<string>>>()

  private constructor(
    private readonly database: Database,
    private readonly project: string | null | undefined,
    /** Runs the gates judge. */
    readonly judged: readonly GatedRun[],
    /** Runs stopped before they finished (cancelled) or before any test ran (skipped). */
    readonly stopped: readonly StoppedRun[],
    /** The session ran a subset of the eval files, and why (`undefined` for a full session). */
    private readonly partialReason: string | undefined,
    /** A test name filter (`-t`) kept some tests of the files that ran from running. */
    private readonly testNameFiltered: boolean,
  ) {}

  /** Loads what a session ran; `project` limits it to the runs of one `runs.project` (`undefined`/`null`: all). */
  static async load(database: Database, sessionId: string, project?: string | null): Promise<WhatRan> {
    const scoped = project === undefined || project === null ? '' : ' AND project IS NOT DISTINCT FROM ?'
    const params = project === undefined || project === null ? [sessionId] : [sessionId, project]
    const rows = await database.query<RunRow>(
      `SELECT run_id, project, name, status FROM runs WHERE session_id = ?${scoped} ORDER BY name, started_at, run_id`,
      params,
    )
    const judged: GatedRun[] = []
    const stopped: StoppedRun[] = []
    for (const row of rows) {
      const run = { runId: row.run_id, sessionId, project: row.project, name: row.name }
      if (row.status === 'cancelled' || row.status === 'skipped') stopped.push({ ...run, status: row.status })
      else judged.push(run)
    }
    const [session] = await database.query<{ partial: boolean | null; selection: string | null }>(
      'SELECT partial, selection::VARCHAR AS selection FROM sessions WHERE session_id = ?',
      [sessionId],
    )
    const selection = parseSelection(session?.selection ?? null)
    const partialReason =
      session?.partial === true ? selection.reasons.join(', ') || 'a subset of the eval files' : undefined
    return new WhatRan(database, project, judged, stopped, partialReason, selection.testNamePattern !== null)
  }

  /** The stopped runs of the session whose file records `key`: their gates are `not run`. */
  async stoppedRunsOf(key: string): Promise<StoppedRun[]> {
    if (this.stopped.length === 0) return []
    const owners = await this.ownersOf(key)
    return this.stopped.filter((run) => owners.has(run.name))
  }

  /**
   * For a key no judged run recorded: why its gates are `not run`, or `undefined` when it is `no data`
   * (its file ran and did not record it; or, on a full session, no run anywhere recorded it). The stopped
   * runs it names are those of the key's files.
   */
  async notRun(key: string): Promise<NotRun | undefined> {
    const owners = await this.ownersOf(key)
    const stopped = this.stopped.filter((run) => owners.has(run.name))
    const ran = this.judged.filter((run) => owners.has(run.name))
    if (ran.length > 0) {
      if (!this.testNameFiltered) return undefined
      return {
        runs: [],
        reason: `the tests of ${names(ran)} that record it were left out by the test name filter`,
      }
    }
    if (stopped.length > 0) return { runs: stopped, reason: stoppedReason(stopped) }
    if (owners.size === 0) {
      const cancelled = this.stopped.filter((run) => run.status === 'cancelled')
      if (this.partialReason === undefined && cancelled.length === 0) return undefined
      const why =
        this.partialReason === undefined
          ? `this session was cancelled before ${names(cancelled)} finished`
          : `this partial session (${this.partialReason}) did not run every eval file`
      return { runs: [], reason: `no session recorded it yet, and ${why}` }
    }
    const files = [...owners].sort()
    if (this.partialReason === undefined) return undefined
    return { runs: [], reason: `${list(files)} did not run in this partial session (${this.partialReason})` }
  }

  /** The run names (files) that recorded `key` in any session, within this scope. */
  private ownersOf(key: string): Promise<Set<string>> {
    let found = this.owners.get(key)
    if (found === undefined) {
      const scoped = this.project === undefined || this.project === null
      found = this.database
        .query<{ name: string }>(
          `SELECT DISTINCT r.name FROM runs r
           WHERE ${scoped ? 'TRUE' : 'r.project IS NOT DISTINCT FROM ?'}
             AND EXISTS (SELECT 1 FROM run_metrics m WHERE m.run_id = r.run_id AND m.name = ?)`,
          scoped ? [key] : [this.project ?? null, key],
        )
        .then((rows) => new Set(rows.map((row) => row.name)))
      this.owners.set(key, found)
    }
    return found
  }
}

/** `a.eval.ts`, `a.eval.ts and b.eval.ts`, `a.eval.ts, b.eval.ts and 3 more`. */
function list(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? ''
  if (items.length <= 3) return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`
  return `${items.slice(0, 2).join(', ')} and ${items.length - 2} more`
}

/** `a.eval.ts was cancelled before its tests finished`, `a.eval.ts was skipped`. */
export function stoppedReason(runs: readonly StoppedRun[]): string {
  const cancelled = runs.filter((run) => run.status === 'cancelled')
  const skipped = runs.filter((run) => run.status === 'skipped')
  const parts: string[] = []
  if (cancelled.length > 0)
    parts.push(
      `${names(cancelled)} ${cancelled.length === 1 ? 'was' : 'were'} cancelled before ${cancelled.length === 1 ? 'its' : 'their'} tests finished`,
    )
  if (skipped.length > 0)
    parts.push(`${names(skipped)} ${skipped.length === 1 ? 'was' : 'were'} skipped (no test ran)`)
  return parts.join('; ')
}

function names(runs: readonly GatedRun[]): string {
  return list([...new Set(runs.map((run) => run.name))])
}

/** The parts of `sessions.selection` the gates read, from untrusted JSON text. */
function parseSelection(json: string | null): { reasons: string[]; testNamePattern: string | null } {
  try {
    const value = json === null ? undefined : (JSON.parse(json) as Record<string, unknown>)
    const reasons = Array.isArray(value?.reasons)
      ? value.reasons.filter((reason): reason is string => typeof reason === 'string')
      : []
    const pattern = typeof value?.testNamePattern === 'string' ? value.testNamePattern : null
    return { reasons, testNamePattern: pattern }
  } catch {
    return { reasons: [], testNamePattern: null }
  }
}
