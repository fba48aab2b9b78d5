/** Session rows: one per `vitest` invocation (or `withRun` script), written when the session ends. */
import type { Database } from './database.js'

/** An eval file a session knew of, and whether it was asked to run it. */
export interface SessionFileRow {
  /** `runs.project` of the file's runs. */
  readonly project: string
  /** The run name the file gets (`runs.name`). */
  readonly name: string
  readonly file: string
  readonly selected: boolean
}

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
  /** The session ran a subset of the eval files; `undefined` when unknown (a leftover session). */
  readonly partial?: boolean | undefined
  /** Why the session was partial, and the filters it ran with (JSON-serialisable). */
  readonly selection?: unknown
  /** The gate configuration of each recording project (JSON-serialisable). */
  readonly gateConfig?: unknown
  /** The eval files the session knew of; written once, with the session's first row. */
  readonly files?: readonly SessionFileRow[]
  /** The shard a `--shard=index/count` session ran and its group (the CI run its shards belong to). */
  readonly shard?: { readonly index: number; readonly count: number; readonly group: string } | undefined
}

/**
 * Inserts or updates a session row (and, the first time, its `session_files`). A new row takes the next
 * `seq` (the order sessions were recorded in, which every "latest" and "previous" follows); an update keeps it.
 */
export async function upsertSession(database: Database, row: SessionRow): Promise<void> {
  const existing = await database.query('SELECT 1 FROM sessions WHERE session_id = ?', [row.sessionId])
  await database.run(
    `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version, vitest_version,
       git_sha, root, otlp_exported_spans, otlp_dropped_spans, partial, selection, gate_config,
       shard_index, shard_count, session_group, seq)
     VALUES (?, make_timestamp(?::BIGINT), make_timestamp(?::BIGINT), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::JSON, ?::JSON,
       ?, ?, ?, (SELECT coalesce(max(seq), 0) + 1 FROM sessions))
     ON CONFLICT (session_id) DO UPDATE SET
       ended_at = excluded.ended_at, status = excluded.status, gate_passed = excluded.gate_passed,
       git_sha = coalesce(excluded.git_sha, sessions.git_sha),
       otlp_exported_spans = coalesce(excluded.otlp_exported_spans, sessions.otlp_exported_spans),
       otlp_dropped_spans = coalesce(excluded.otlp_dropped_spans, sessions.otlp_dropped_spans),
       partial = coalesce(excluded.partial, sessions.partial),
       selection = coalesce(excluded.selection, sessions.selection),
       gate_config = coalesce(excluded.gate_config, sessions.gate_config),
       shard_index = coalesce(excluded.shard_index, sessions.shard_index),
       shard_count = coalesce(excluded.shard_count, sessions.shard_count),
       session_group = coalesce(excluded.session_group, sessions.session_group)`,
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
      row.partial ?? null,
      row.selection === undefined ? null : JSON.stringify(row.selection),
      row.gateConfig === undefined ? null : JSON.stringify(row.gateConfig),
      row.shard?.index ?? null,
      row.shard?.count ?? null,
      row.shard?.group ?? null,
    ],
  )
  // Each run of a shard keeps its shard (a merge of the shards keeps it too).
  if (row.shard !== undefined) {
    await database.run('UPDATE runs SET shard_index = ? WHERE session_id = ? AND shard_index IS NULL', [
      row.shard.index,
      row.sessionId,
    ])
  }
  const files = row.files ?? []
  if (existing.length > 0 || files.length === 0) return
  await insertSessionFiles(database, row.sessionId, files)
}

/** Rows per INSERT statement (bounded parameter lists). */
const FILES_PER_STATEMENT = 500

async function insertSessionFiles(
  database: Database,
  sessionId: string,
  files: readonly SessionFileRow[],
): Promise<void> {
  for (let start = 0; start < files.length; start += FILES_PER_STATEMENT) {
    const chunk = files.slice(start, start + FILES_PER_STATEMENT)
    await database.run(
      `INSERT INTO session_files (session_id, project, name, file, selected) VALUES ${chunk.map(() => '(?, ?, ?, ?, ?)').join(', ')}`,
      chunk.flatMap((file) => [sessionId, file.project, file.name, file.file, file.selected]),
    )
  }
}
