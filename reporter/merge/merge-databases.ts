/**
 * `strikes merge`: imports every session of the given shard databases into a target database. The
 * shards of one group become one session (their runs keep their shard); other sessions are imported as
 * they are; what the target already holds is skipped, so merging again adds nothing. Every input is
 * inspected before the target is touched; the rows are copied in one transaction (a new target is built
 * beside it and renamed into place), so on any error the target is as it was. The merged sessions' gates
 * are then evaluated with the thresholds the shards stored.
 */
import { existsSync, realpathSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { evaluateStoredSessionGates } from '../gate/session-gates.js'
import { attachDatabase, type Database, openDatabase } from '../store/database.js'
import { baseTables } from './base-tables.js'
import { type AttachedShard, copySessions, type SessionCopy } from './copy-session.js'
import {
  type GroupMerge,
  type MergePlan,
  planMerge,
  shardList,
  shown,
  type TargetState,
} from './merge-plan.js'
import { type AttachedMember, writeMergedSession } from './merged-session.js'
import { inspectShard, MergeInputError, type ShardSource } from './shard-source.js'

/** How to merge. */
export interface MergeOptions {
  /** Merge a group with shards missing (the merged session is partial: their keys are `not run`). */
  readonly allowPartial?: boolean
  /** Evaluate the merged sessions' gates with their stored thresholds (default true). */
  readonly evaluateGates?: boolean
  /** How long to wait for another process's lock on the target. */
  readonly lockTimeoutMs?: number
}

/** What a merge did. */
export interface MergeOutcome {
  readonly plan: MergePlan
  /** Lines to print: what was merged, skipped, partial, and the gate tables. */
  readonly lines: string[]
  readonly warnings: string[]
  /** The merged sessions, one per group, and whether their gates passed (`undefined`: no gate). */
  readonly sessions: readonly { sessionId: string; group: string; gatePassed: boolean | undefined }[]
}

/** Merges `sources` into the database at `targetPath` (created when missing). */
export async function mergeDatabases(
  targetPath: string,
  sourcePaths: readonly string[],
  options: MergeOptions = {},
): Promise<MergeOutcome> {
  if (sourcePaths.length === 0) throw new MergeInputError('strikes: give at least one shard database')
  const target = resolve(targetPath)
  const targetReal = existsSync(target) ? realpathSync(target) : target
  const sources: ShardSource[] = []
  const seenFiles = new Set<string>()
  for (const path of sourcePaths) {
    const source = await inspectShard(path)
    if (source.realPath === targetReal) {
      throw new MergeInputError(
        `strikes: ${path} is the target itself; give the shards' databases. Nothing was merged`,
      )
    }
    if (seenFiles.has(source.realPath)) continue
    seenFiles.add(source.realPath)
    sources.push(source)
  }
  const fresh = !existsSync(target)
  const workPath = fresh ? join(dirname(target), `.${basename(target)}.merging-${process.pid}`) : target
  if (fresh) removeDatabase(workPath)
  let database: Database | undefined
  let committed = false
  try {
    // Only strikes' own SQL runs on this connection: it may lower DuckDB's memory limit (unlocked
    // configuration), and read no folder but the shards' (external access stays off).
    database = await openDatabase(workPath, {
      lockTimeoutMs: options.lockTimeoutMs,
      allowedDirectories: [...new Set(sources.map((source) => dirname(source.realPath)))],
      lockConfiguration: false,
    })
    const plan = planMerge(sources, await targetState(database), {
      allowPartial: options.allowPartial === true,
    })
    const warnings = await importAll(database, sources, plan)
    committed = true
    database.close()
    database = undefined
    if (fresh) renameSync(workPath, target)
    const outcome = await finish(target, plan, options, warnings, options.lockTimeoutMs)
    return outcome
  } finally {
    database?.close()
    if (fresh && !committed) removeDatabase(workPath)
    if (fresh && committed && existsSync(workPath)) removeDatabase(workPath)
  }
}

/** What the target holds already: its sessions and the source sessions merged before. */
async function targetState(database: Database): Promise<TargetState> {
  const sessions = await database.query<{ session_id: string }>('SELECT session_id FROM sessions')
  const merged = await database.query<{
    source_session_id: string
    session_group: string | null
    shard_index: number | null
    fingerprint: string
  }>('SELECT source_session_id, session_group, shard_index, fingerprint FROM merged_shards')
  return {
    sessions: new Set(sessions.map((row) => row.session_id)),
    merged: new Map(
      merged.map((row) => [
        row.source_session_id,
        { group: row.session_group, index: row.shard_index, fingerprint: row.fingerprint },
      ]),
    ),
  }
}

/** Attaches the sources read-only and copies everything the plan imports, in one transaction. */
async function importAll(
  database: Database,
  sources: readonly ShardSource[],
  plan: MergePlan,
): Promise<string[]> {
  const warnings: string[] = []
  if (plan.groups.every((group) => group.imports.length === 0) && plan.singles.length === 0) return warnings
  // Bounded memory for a merge of many large shards; rows are appended in any order.
  await database.run("SET memory_limit = '600MB'")
  await database.run('SET preserve_insertion_order = false')
  const attached = new Map<ShardSource, AttachedShard>()
  try {
    for (const [index, source] of sources.entries()) {
      const alias = `strikes_shard_${index}`
      try {
        // Under the trust rule: the shard's catalog is verified again as it is attached.
        await attachDatabase(database, source.realPath, alias)
      } catch (error) {
        throw new MergeInputError(
          `strikes: ${source.path} cannot be attached (${(error as Error).message.split('\n')[0]}). ` +
            'Nothing was merged',
        )
      }
      attached.set(source, { alias, source })
    }
    const tables = await baseTables(database)
    const shardOf = (source: ShardSource): AttachedShard => attached.get(source) as AttachedShard
    await database.transaction(async () => {
      const now = Date.now() * 1000
      const copies: SessionCopy[] = [
        ...plan.groups.flatMap((group) =>
          group.imports.map((member) => ({
            shard: shardOf(member.source),
            sourceSessionId: member.session.sessionId,
            targetSessionId: group.sessionId,
            shardIndex: member.index,
            asIs: false,
          })),
        ),
        ...plan.singles.map((single) => ({
          shard: shardOf(single.source),
          sourceSessionId: single.session.sessionId,
          targetSessionId: single.session.sessionId,
          asIs: true,
        })),
      ]
      await copySessions(database, tables, copies)
      for (const group of plan.groups) {
        for (const member of group.imports) {
          await recordMerged(
            database,
            group.sessionId,
            member.session.sessionId,
            group,
            member.index,
            member.session.fingerprint,
            member.source.path,
            now,
          )
        }
        if (group.imports.length === 0) continue
        const members: AttachedMember[] = group.imports.map((member) => ({
          shard: shardOf(member.source),
          sourceSessionId: member.session.sessionId,
          index: member.index,
          selection: member.session.selection,
          gateConfig: member.session.gateConfig,
        }))
        warnings.push(...(await writeMergedSession(database, tables, group, members)).warnings)
      }
      for (const single of plan.singles) {
        await recordMerged(
          database,
          single.session.sessionId,
          single.session.sessionId,
          undefined,
          null,
          single.session.fingerprint,
          single.source.path,
          now,
        )
      }
    })
  } catch (error) {
    if (error instanceof MergeInputError) throw error
    throw new MergeInputError(
      `strikes: copying the shards failed (${(error as Error).message.split('\n')[0]}); ` +
        'the target was not changed',
      { cause: error },
    )
  } finally {
    for (const { alias } of attached.values()) await database.run(`DETACH ${alias}`).catch(() => undefined)
  }
  return warnings
}

async function recordMerged(
  database: Database,
  sessionId: string,
  sourceSessionId: string,
  group: GroupMerge | undefined,
  index: number | null,
  fingerprint: string,
  file: string,
  now: number,
): Promise<void> {
  await database.run('INSERT INTO merged_shards VALUES (?, ?, ?, ?, ?, ?, ?, make_timestamp(?::BIGINT))', [
    sessionId,
    sourceSessionId,
    group?.group ?? null,
    index,
    group?.count ?? null,
    fingerprint,
    file,
    now,
  ])
}

/** Evaluates the merged sessions' gates and says what was merged. */
async function finish(
  target: string,
  plan: MergePlan,
  options: MergeOptions,
  warnings: string[],
  lockTimeoutMs: number | undefined,
): Promise<MergeOutcome> {
  const lines: string[] = []
  const sessions: { sessionId: string; group: string; gatePassed: boolean | undefined }[] = []
  for (const group of plan.groups) {
    const indices = group.imports.map((member) => member.index)
    if (indices.length === 0) continue
    const runs = group.imports.reduce((sum, member) => sum + member.session.runs, 0)
    const tasks = group.imports.reduce((sum, member) => sum + member.session.tasks, 0)
    const added =
      group.present.length > 0 ? ` (added to the ${shardList(group.present, group.count)} merged before)` : ''
    lines.push(
      `merged ${shardList(indices, group.count)} of group "${shown(group.group)}" ` +
        `into session ${group.sessionId}${added}: ` +
        `${runs} run${runs === 1 ? '' : 's'}, ${tasks} task${tasks === 1 ? '' : 's'}`,
    )
    if (group.missing.length > 0) {
      lines.push(
        `  partial: ${shardList(group.missing, group.count)} missing (--allow-partial); ` +
          'their keys are "not run"',
      )
    }
    sessions.push({ sessionId: group.sessionId, group: group.group, gatePassed: undefined })
  }
  for (const single of plan.singles) {
    lines.push(
      `imported session ${shown(single.session.sessionId)} from ${single.source.path} ` +
        `(${single.session.runs} runs)`,
    )
  }
  for (const skipped of plan.skipped) {
    lines.push(
      `skipped session ${shown(skipped.session.sessionId)} of ${skipped.source.path}: ` +
        `already merged into ${target}`,
    )
  }
  const groupsGiven = plan.groups.filter((group) => group.imports.length > 0)
  if (groupsGiven.length > 1) {
    lines.push(
      `note: the shards belong to ${groupsGiven.length} different session groups (${groupsGiven
        .map((group) => `"${shown(group.group)}"`)
        .join(', ')}), so they were merged as ${groupsGiven.length} separate sessions`,
    )
  }
  if (lines.length === 0) lines.push(`nothing to merge: ${target} holds every session given`)
  if (options.evaluateGates !== false && sessions.length > 0) {
    const database = await openDatabase(target, { lockTimeoutMs })
    try {
      for (const session of sessions) {
        let gates: Awaited<ReturnType<typeof evaluateStoredSessionGates>>
        try {
          gates = await evaluateStoredSessionGates(database, session.sessionId)
        } catch (error) {
          warnings.push(
            `strikes: merged, but the gates of session ${session.sessionId} could not be evaluated: ` +
              (error as Error).message.replace(/^strikes: /, ''),
          )
          continue
        }
        session.gatePassed = gates.passed
        await database.run('UPDATE sessions SET gate_passed = ? WHERE session_id = ?', [
          gates.passed ?? null,
          session.sessionId,
        ])
        // The verdict line only: `strikes gate --db <target>` prints the whole table.
        const verdict = gates.lines.find((line) => /gates\s+\d+ passed/.test(line))
        if (verdict !== undefined) lines.push(`session ${session.sessionId}: ${verdict.trim()}`)
      }
    } finally {
      database.close()
    }
  }
  return { plan, lines, warnings, sessions }
}

/** Removes a database file and its write-ahead log. */
function removeDatabase(path: string): void {
  rmSync(path, { force: true })
  rmSync(`${path}.wal`, { force: true })
}
