/** `strikes runs [--limit N] [--json]`: the most recent sessions, newest first, with their runs. */
import { formatGateNumber } from '../../gate/gate-numbers.js'
import type { Database } from '../../store/database.js'
import { cutText, DISPLAY_NAME_CHARS, displayName, terminalJson, terminalText } from '../../terminal-text.js'
import { withCliDatabase } from '../cli-database.js'
import { type Command, EXIT_OK, parseCommandArgs, UsageError } from '../command.js'
import { formatTable } from '../text-table.js'

/** A session with its runs, as `runs --json` prints it. */
export interface SessionListing {
  readonly session_id: string
  readonly started_at: string | null
  readonly status: string | null
  readonly gate_passed: boolean | null
  readonly git_sha: string | null
  /** How many runs the session has (at most {@link RUNS_PER_SESSION} are listed). */
  readonly run_count: number
  readonly runs: readonly RunListing[]
}

/** A run within a {@link SessionListing}. */
export interface RunListing {
  readonly run_id: string
  readonly project: string | null
  readonly name: string
  readonly status: string | null
  readonly duration_ms: number | null
  readonly tasks: number
  readonly failed_tasks: number
}

/** The `runs` command. */
export const runsCommand: Command = {
  name: 'runs',
  summary: 'list recent sessions and their runs',
  help: `Usage: strikes runs [--limit N] [--json] [--db <file>]

Lists the most recent sessions (one per vitest invocation), newest first (in the order
they were recorded), each with its runs (one per eval file, at most 100 per session):
status, tasks, failed tasks, duration, and the gate verdict.

Options:
  --limit N      how many sessions (default 10)
  --json         print JSON instead of tables
  --db <file>    the database (default .strikes/strikes.duckdb)
  -h, --help     show this help`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('runs', args, {
      limit: { type: 'string' },
      json: { type: 'boolean' },
    })
    if (values.help === true) {
      io.out(this.help)
      return EXIT_OK
    }
    if (positionals.length > 0) throw new UsageError(`runs: unexpected argument "${positionals[0]}"`)
    const limit = values.limit === undefined ? 10 : Number(values.limit)
    if (!Number.isInteger(limit) || limit < 1) {
      throw new UsageError(`runs: --limit must be a positive whole number, got "${values.limit}"`)
    }
    const sessions = await withCliDatabase(values.db, io.cwd, (database) => listSessions(database, limit))
    if (values.json === true) {
      io.out(terminalJson(JSON.stringify(sessions, null, 2)))
      return EXIT_OK
    }
    if (sessions.length === 0) {
      io.out('no sessions recorded yet (run vitest with --reporter=strikes)')
      return EXIT_OK
    }
    const blocks: string[] = []
    for (const session of sessions) {
      const gate =
        session.gate_passed === null ? 'no gates' : session.gate_passed ? 'gates passed' : 'gates FAILED'
      const sha = session.git_sha === null ? '' : `  git ${terminalText(session.git_sha.slice(0, 7))}`
      blocks.push(
        `session ${displayName(session.session_id)}  ${session.started_at ?? '?'}  ${displayName(session.status ?? '?')}  ${gate}${sha}`,
      )
      if (session.runs.length === 0) blocks.push('  (no runs)')
      else {
        const rows = session.runs.map((run) => [
          cutText(run.name, DISPLAY_NAME_CHARS),
          run.status ?? '?',
          String(run.tasks),
          String(run.failed_tasks),
          run.duration_ms === null ? '—' : `${formatGateNumber(run.duration_ms / 1000)}s`,
          run.run_id,
        ])
        blocks.push(
          ...formatTable(['run', 'status', 'tasks', 'failed', 'duration', 'run id'], rows, {
            indent: '  ',
            align: ['left', 'left', 'right', 'right', 'right', 'left'],
          }),
        )
        if (session.run_count > session.runs.length) {
          blocks.push(
            `  … and ${(session.run_count - session.runs.length).toLocaleString('en-US')} more runs`,
          )
        }
      }
      blocks.push('')
    }
    io.out(blocks.join('\n').trimEnd())
    return EXIT_OK
  },
}

/** Runs listed per session at most (the rest are counted in `run_count`). */
export const RUNS_PER_SESSION = 100

/** Longest text a listing holds (names are cut in SQL, so huge values never reach JavaScript). */
const LISTING_CHARS = 1000

/**
 * The newest `limit` sessions (in the order they were recorded) with their first
 * {@link RUNS_PER_SESSION} runs; texts cut to 1,000 characters.
 */
export async function listSessions(database: Database, limit: number): Promise<SessionListing[]> {
  const cut = (column: string): string => `left(${column}, ${LISTING_CHARS})`
  const sessions = await database.query<{
    session_id: string
    started_at: string | null
    status: string | null
    gate_passed: boolean | null
    git_sha: string | null
  }>(
    `SELECT ${cut('session_id')} AS session_id, strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at,
       ${cut('status')} AS status, gate_passed, ${cut('git_sha')} AS git_sha
     FROM sessions ORDER BY seq DESC NULLS LAST, session_id DESC LIMIT ?`,
    [limit],
  )
  if (sessions.length === 0) return []
  const runs = await database.query<{
    session_id: string
    run_id: string
    project: string | null
    name: string | null
    status: string | null
    duration_ms: number | null
    tasks: bigint
    failed_tasks: bigint
    run_count: bigint
  }>(
    // Spans are counted per run first, so a huge name is never copied onto every span row.
    `WITH chosen AS (SELECT run_id FROM runs WHERE session_id IN (SELECT unnest($1::JSON::VARCHAR[]))),
     counts AS (
       SELECT run_id, count(*) FILTER (WHERE kind = 'task') AS tasks,
         count(*) FILTER (WHERE kind = 'task' AND status = 'error') AS failed_tasks
       FROM spans WHERE run_id IN (SELECT run_id FROM chosen) GROUP BY run_id
     )
     SELECT ${cut('r.session_id')} AS session_id, ${cut('r.run_id')} AS run_id, ${cut('r.project')} AS project,
       ${cut('r.name')} AS name, ${cut('r.status')} AS status, r.duration_ms,
       coalesce(c.tasks, 0) AS tasks, coalesce(c.failed_tasks, 0) AS failed_tasks,
       count(*) OVER (PARTITION BY r.session_id) AS run_count
     FROM runs r LEFT JOIN counts c ON c.run_id = r.run_id
     WHERE r.run_id IN (SELECT run_id FROM chosen)
     QUALIFY row_number() OVER (PARTITION BY r.session_id ORDER BY ${cut('r.name')}, r.run_id) <= ${RUNS_PER_SESSION}
     ORDER BY ${cut('r.name')}, r.run_id`,
    [JSON.stringify(sessions.map((session) => session.session_id))],
  )
  return sessions.map((session) => {
    const own = runs.filter((run) => run.session_id === session.session_id)
    return {
      ...session,
      run_count: Number(own[0]?.run_count ?? 0),
      runs: own.map(({ session_id: _, tasks, failed_tasks, run_count: __, name, ...run }) => ({
        ...run,
        name: name ?? '—',
        tasks: Number(tasks),
        failed_tasks: Number(failed_tasks),
      })),
    }
  })
}
