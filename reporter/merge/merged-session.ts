/**
 * The row of a merged session, from its shards' rows: earliest start, latest end, the worst status, the
 * shards' versions, sha and root, the gate configuration stored by the shards (so `strikes gate` needs no
 * vitest config), and a selection that is partial only when shards are missing or a shard ran a filter
 * beyond its shard. Its `session_files` are the union of the shards', a file selected when any shard ran
 * it. Written again, from every shard merged so far, each time shards are added. Its `seq` (the order
 * latest and previous follow) is the target's next when first written, and kept when written again.
 */
import type { Database } from '../store/database.js'
import { type AttachedShard, quote, type TableColumns } from './copy-session.js'
import { type GroupMerge, shardList, shown } from './merge-plan.js'

/** A shard of the group, attached, with the index it claims. */
export interface AttachedMember {
  readonly shard: AttachedShard
  readonly sourceSessionId: string
  readonly index: number
  readonly selection: string | null
  readonly gateConfig: string | null
}

/** What writing the merged row found worth saying. */
export interface MergedRowNotes {
  readonly warnings: string[]
}

const SESSION_FIELDS = [
  'started_at',
  'ended_at',
  'status',
  'strikes_version',
  'vitest_version',
  'git_sha',
  'root',
  'otlp_exported_spans',
  'otlp_dropped_spans',
] as const

/** Writes (inserts or replaces) the merged session's row and its `session_files`. */
export async function writeMergedSession(
  database: Database,
  tables: TableColumns,
  plan: GroupMerge,
  members: readonly AttachedMember[],
): Promise<MergedRowNotes> {
  const warnings: string[] = []
  const [existing] = await database.query<{ selection: string | null; gate_config: string | null }>(
    `SELECT selection::VARCHAR AS selection, gate_config::VARCHAR AS gate_config
     FROM main.sessions WHERE session_id = ?`,
    [plan.sessionId],
  )
  const rows = members.map((member) => {
    const present = new Set(member.shard.source.columns.get('sessions') ?? [])
    const fields = SESSION_FIELDS.map(
      (field) => `${present.has(field) ? `s.${quote(field)}` : 'NULL'} AS ${field}`,
    )
    return {
      sql: `SELECT ${fields.join(', ')} FROM ${member.shard.alias}.main.sessions s WHERE s.session_id = ?`,
      param: member.sourceSessionId,
    }
  })
  if (existing !== undefined) {
    rows.push({
      sql: `SELECT ${SESSION_FIELDS.join(', ')} FROM main.sessions WHERE session_id = ?`,
      param: plan.sessionId,
    })
  }
  const previous = parseMerged(existing?.selection ?? null)
  const reasons = new Set(previous.reasons)
  let testNamePattern: string | null = previous.testNamePattern
  for (const member of members) {
    const selection = parseSelection(member.selection)
    for (const reason of selection.reasons) if (!reason.startsWith('--shard=')) reasons.add(reason)
    testNamePattern ??= selection.testNamePattern
  }
  const shards = [...new Set([...plan.present, ...members.map((member) => member.index)])].sort(
    (a, b) => a - b,
  )
  const selection = {
    reasons: [
      ...reasons,
      ...(plan.missing.length > 0 ? [`${shardList(plan.missing, plan.count)} missing from the merge`] : []),
    ],
    testNamePattern,
    shard: null,
    watchRerun: false,
    projectFilter: [],
    merged: { group: plan.group, count: plan.count, shards, missing: plan.missing, filters: [...reasons] },
  }
  const configs = [...members]
    .sort((a, b) => a.index - b.index)
    .map((member) => member.gateConfig)
    .filter((config): config is string => config !== null)
  const gateConfig = existing?.gate_config ?? configs[0] ?? null
  if (new Set([...configs, ...(existing?.gate_config == null ? [] : [existing.gate_config])]).size > 1) {
    warnings.push(
      `strikes: the shards of group "${shown(plan.group)}" stored different thresholds; the merged session ` +
        'uses those of the first shard merged',
    )
  }
  const union = rows.map((row) => row.sql).join(' UNION ALL ')
  await database.run(
    `INSERT INTO main.sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version,
       vitest_version, git_sha, root, otlp_exported_spans, otlp_dropped_spans, partial, selection,
       gate_config, shard_index, shard_count, session_group, seq)
     SELECT ?, min(started_at), max(ended_at),
       CASE WHEN bool_or(status = 'interrupted') THEN 'interrupted'
            WHEN bool_or(status = 'failed') THEN 'failed'
            WHEN bool_or(status = 'running') THEN 'running' ELSE 'passed' END,
       NULL, any_value(strikes_version), any_value(vitest_version), any_value(git_sha), any_value(root),
       sum(otlp_exported_spans), sum(otlp_dropped_spans), ?, ?::JSON, ?::JSON, NULL, ?, ?,
       (SELECT coalesce(max(seq), 0) + 1 FROM main.sessions)
     FROM (${union}) u
     ON CONFLICT (session_id) DO UPDATE SET started_at = excluded.started_at, ended_at = excluded.ended_at,
       status = excluded.status, gate_passed = NULL, strikes_version = excluded.strikes_version,
       vitest_version = excluded.vitest_version, git_sha = excluded.git_sha, root = excluded.root,
       otlp_exported_spans = excluded.otlp_exported_spans, otlp_dropped_spans = excluded.otlp_dropped_spans,
       partial = excluded.partial, selection = excluded.selection, gate_config = excluded.gate_config`,
    [
      plan.sessionId,
      selection.reasons.length > 0 || testNamePattern !== null,
      JSON.stringify(selection),
      gateConfig,
      plan.count,
      plan.group,
      ...rows.map((row) => row.param),
    ],
  )
  await writeMergedFiles(database, tables, plan.sessionId, members)
  return { warnings }
}

/**
 * The merged session's `session_files`: every file any shard knew of (by project and run name: each shard
 * ran in its own checkout, so absolute paths differ), selected when a shard ran it.
 */
async function writeMergedFiles(
  database: Database,
  tables: TableColumns,
  sessionId: string,
  members: readonly AttachedMember[],
): Promise<void> {
  if (!tables.has('session_files')) return
  const parts = ['SELECT project, name, file, selected FROM main.session_files WHERE session_id = ?']
  const params: string[] = [sessionId]
  for (const member of members) {
    if (!member.shard.source.columns.has('session_files')) continue
    parts.push(
      `SELECT project, name, file, selected FROM ${member.shard.alias}.main.session_files
       WHERE session_id = ?`,
    )
    params.push(member.sourceSessionId)
  }
  await database.run(`CREATE TEMP TABLE strikes_merge_files AS ${parts.join(' UNION ALL ')}`, params)
  try {
    await database.run('DELETE FROM main.session_files WHERE session_id = ?', [sessionId])
    await database.run(
      `INSERT INTO main.session_files (session_id, project, name, file, selected)
       SELECT ?, project, name, min(file), bool_or(selected) FROM strikes_merge_files GROUP BY project, name
       ORDER BY name, project`,
      [sessionId],
    )
  } finally {
    await database.run('DROP TABLE IF EXISTS strikes_merge_files')
  }
}

/** The reasons and test name pattern of a stored selection (untrusted JSON). */
function parseSelection(json: string | null): { reasons: string[]; testNamePattern: string | null } {
  try {
    const value = json === null ? undefined : (JSON.parse(json) as Record<string, unknown>)
    const reasons = Array.isArray(value?.reasons)
      ? value.reasons.filter((reason): reason is string => typeof reason === 'string')
      : []
    return {
      reasons,
      testNamePattern: typeof value?.testNamePattern === 'string' ? value.testNamePattern : null,
    }
  } catch {
    return { reasons: [], testNamePattern: null }
  }
}

/** The filters an earlier merge of the group recorded (its reasons without the missing-shards note). */
function parseMerged(json: string | null): { reasons: string[]; testNamePattern: string | null } {
  try {
    const value =
      json === null
        ? undefined
        : (JSON.parse(json) as { merged?: { filters?: unknown }; testNamePattern?: unknown })
    const filters = Array.isArray(value?.merged?.filters)
      ? value.merged.filters.filter((reason): reason is string => typeof reason === 'string')
      : []
    return {
      reasons: filters,
      testNamePattern: typeof value?.testNamePattern === 'string' ? value.testNamePattern : null,
    }
  } catch {
    return { reasons: [], testNamePattern: null }
  }
}
