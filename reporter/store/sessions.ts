/** Session rows: one per `vitest` invocation (or `withRun` script), written when the session ends. */
import type { Database } from './database.js'

/** A session's row in `sessions`. */
export interface SessionRow {
  readonly sessionId: string
  readonly startedAt: Date
  readonly endedAt: Date | undefined
  /** `running`, `passed`, `failed`, `interrupted`. */
  readonly status: string
  readonly gatePassed: boolean | undefined
  readonly strikesVersion: string
  readonly vitestVersion: string | undefined
  readonly gitSha: string | undefined
  readonly root: string
  /** Spans sent to the OTLP collector and spans it never got; `undefined` when the session did not export. */
  readonly otlp?: { readonly exported: number; readonly dropped: number } | undefined
}

/** Inserts or updates a session row. */
export async function upsertSession(database: Database, row: SessionRow): Promise<void> {
  await database.run(
    `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version, vitest_version,
       git_sha, root, otlp_exported_spans, otlp_dropped_spans)
     VALUES (?, make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (session_id) DO UPDATE SET
       ended_at = excluded.ended_at, status = excluded.status, gate_passed = excluded.gate_passed,
       git_sha = coalesce(excluded.git_sha, sessions.git_sha),
       otlp_exported_spans = coalesce(excluded.otlp_exported_spans, sessions.otlp_exported_spans),
       otlp_dropped_spans = coalesce(excluded.otlp_dropped_spans, sessions.otlp_dropped_spans)`,
    [
      row.sessionId,
      row.startedAt.getTime() * 1000,
      row.endedAt === undefined ? null : row.endedAt.getTime() * 1000,
      row.status,
      row.gatePassed ?? null,
      row.strikesVersion,
      row.vitestVersion ?? null,
      row.gitSha ?? null,
      row.root,
      row.otlp?.exported ?? null,
      row.otlp?.dropped ?? null,
    ],
  )
}
