/**
 * `vitest --merge-reports --reporter=strikes`: Vitest's blob reports replay test results but hold no
 * strikes data, so recording them would store an empty session and fail every gate. Instead the shards'
 * strikes databases are merged from one documented place — `shards/` beside the database (each shard's
 * `.strikes/strikes.duckdb` downloaded to `.strikes/shards/<anything>/…duckdb`) — into the database, and
 * the merged session is gated and reported as a `vitest` run would be. With no shard database there,
 * one line says so and points to `strikes merge`; nothing is recorded, gated or overwritten.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { storedGateConfig } from '../gate/session-gates.js'
import { type FinishContext, finishSession, type SessionOutcome } from '../session/finish-session.js'
import { WHOLE_SELECTION } from '../session/session-selection.js'
import { openDatabase } from '../store/database.js'
import { mergeDatabases } from './merge-databases.js'

/** The folder, beside the database, where `--merge-reports` looks for the shards' databases. */
export const SHARDS_FOLDER = 'shards'

/** What merging at `--merge-reports` produced for one database. */
export interface ReportMerge {
  /** Lines to print (what was merged, or why nothing was). */
  readonly lines: string[]
  readonly warnings: string[]
  readonly errors: Error[]
  /** Each merged session's finishing outcome (summary runs, report, gate table). */
  readonly sessions: readonly {
    sessionId: string
    outcome: SessionOutcome
    gatePassed: boolean | undefined
  }[]
}

/** The shard databases under `<db folder>/shards/`, in path order. */
export function shardDatabases(dbPath: string): string[] {
  const folder = join(dirname(dbPath), SHARDS_FOLDER)
  if (!existsSync(folder) || !statSync(folder).isDirectory()) return []
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.duckdb'))
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
    .sort()
}

/** Merges the shards found beside `context.dbPath`, then gates and reports each merged session. */
export async function mergeAtReportMerge(context: FinishContext, cwd: string): Promise<ReportMerge> {
  const shards = shardDatabases(context.dbPath)
  const folder = relative(cwd, join(dirname(context.dbPath), SHARDS_FOLDER)) || '.'
  if (shards.length === 0) {
    return {
      lines: [
        "strikes: --merge-reports replays Vitest's blob reports, which hold no strikes data; " +
          'nothing was recorded. ' +
          `Put each shard's database under ${folder}/ (e.g. ${folder}/1/strikes.duckdb) ` +
          'to merge them here, or run ' +
          `npx strikes merge --db ${relative(cwd, context.dbPath)} <shard.duckdb>...`,
      ],
      warnings: [],
      errors: [],
      sessions: [],
    }
  }
  const merged = await mergeDatabases(context.dbPath, shards, { evaluateGates: false })
  const lines = [...merged.lines]
  const sessions: ReportMerge['sessions'][number][] = []
  const errors: Error[] = []
  if (merged.sessions.length === 0) return { lines, warnings: merged.warnings, errors, sessions }
  const database = await openDatabase(context.dbPath)
  try {
    for (const session of merged.sessions) {
      const [row] = await database.query<{
        started_at: number | null
        ended_at: number | null
        git_sha: string | null
        status: string | null
      }>(
        `SELECT epoch_ms(started_at) AS started_at, epoch_ms(ended_at) AS ended_at, git_sha, status
         FROM sessions WHERE session_id = ?`,
        [session.sessionId],
      )
      const finished = await finishSession(
        database,
        {
          sessionId: session.sessionId,
          startedAt: new Date(Number(row?.started_at ?? Date.now())),
          endedAt: new Date(Number(row?.ended_at ?? Date.now())),
          gitSha: row?.git_sha ?? undefined,
          selection: WHOLE_SELECTION,
          gates: await storedGateConfig(database, session.sessionId),
        },
        { ...context, status: row?.status ?? context.status },
      )
      await database.run('UPDATE sessions SET gate_passed = ? WHERE session_id = ?', [
        finished.gatePassed ?? null,
        session.sessionId,
      ])
      errors.push(...finished.value.errors)
      sessions.push({
        sessionId: session.sessionId,
        outcome: finished.value,
        gatePassed: finished.gatePassed,
      })
    }
  } finally {
    database.close()
  }
  return { lines, warnings: merged.warnings, errors, sessions }
}
