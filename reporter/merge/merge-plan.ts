/**
 * What `strikes merge` will do, decided before anything is written: the shard sessions of each group
 * become one session (an id derived from the group, so merging more shards later adds to it), other
 * sessions are imported as they are, and sessions the target already holds are skipped. Refused, naming
 * the shards: a group whose shards disagree on the shard count, two different sessions claiming one
 * shard index, and — unless partial merges are allowed — a group with shards missing.
 */
import { createHash } from 'node:crypto'
import { MergeInputError, type ShardSource, type SourceSession } from './shard-source.js'

/** A source session to import, and the file it comes from. */
export interface SessionFrom {
  readonly source: ShardSource
  readonly session: SourceSession
}

/** The shards of one group, merged into one session. */
export interface GroupMerge {
  readonly group: string
  readonly count: number
  /** The merged session's id (derived from the group). */
  readonly sessionId: string
  /** The shards to import now, by index. */
  readonly imports: readonly (SessionFrom & { readonly index: number })[]
  /** Shard indices the target already holds for the group. */
  readonly present: readonly number[]
  /** Shard indices neither given nor in the target. */
  readonly missing: readonly number[]
}

/** Everything a merge imports. */
export interface MergePlan {
  readonly groups: readonly GroupMerge[]
  /** Sessions imported as they are (not shards, or already merged sessions). */
  readonly singles: readonly SessionFrom[]
  /** Sessions given that the target already holds (merging the same file again adds nothing). */
  readonly skipped: readonly SessionFrom[]
}

/** What the target already holds. */
export interface TargetState {
  /** Session ids in `sessions`. */
  readonly sessions: ReadonlySet<string>
  /** Source sessions merged before: id → its group, shard index and fingerprint. */
  readonly merged: ReadonlyMap<string, { group: string | null; index: number | null; fingerprint: string }>
}

/** The merged session id of a group: a UUID-shaped hash of the group, the same on every machine. */
export function mergedSessionId(group: string): string {
  const hex = createHash('sha256').update(`strikes merge\0${group}`).digest('hex')
  const parts = [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `a${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ]
  return parts.join('-')
}

/** Decides what to import; throws a {@link MergeInputError} for conflicting or missing shards. */
export function planMerge(
  sources: readonly ShardSource[],
  target: TargetState,
  options: { readonly allowPartial: boolean },
): MergePlan {
  const seen = new Map<string, SessionFrom>()
  const groups = new Map<string, SessionFrom[]>()
  const singles: SessionFrom[] = []
  const skipped: SessionFrom[] = []
  for (const source of sources) {
    for (const session of source.sessions) {
      const entry = { source, session }
      const before = seen.get(session.sessionId)
      if (before !== undefined) {
        if (before.session.fingerprint !== session.fingerprint) {
          throw new MergeInputError(
            `strikes: session ${shown(session.sessionId)} is in ${before.source.path} ` +
              `and in ${source.path} with ` +
              'different data; give one of them. Nothing was merged',
          )
        }
        continue
      }
      seen.set(session.sessionId, entry)
      const merged = target.merged.get(session.sessionId)
      if (merged !== undefined) {
        if (merged.fingerprint !== session.fingerprint) {
          throw new MergeInputError(
            `strikes: session ${shown(session.sessionId)} of ${source.path} ` +
              'was merged into the target before ' +
              'with different data (it changed since); merge into a new target. Nothing was merged',
          )
        }
        skipped.push(entry)
        continue
      }
      if (session.group === undefined || session.shard === undefined) {
        if (target.sessions.has(session.sessionId)) skipped.push(entry)
        else singles.push(entry)
        continue
      }
      const members = groups.get(session.group) ?? []
      members.push(entry)
      groups.set(session.group, members)
    }
  }
  const plans = [...groups.entries()].map(([group, members]) => planGroup(group, members, target, options))
  return { groups: plans, singles, skipped }
}

function planGroup(
  group: string,
  members: readonly SessionFrom[],
  target: TargetState,
  options: { readonly allowPartial: boolean },
): GroupMerge {
  const counts = [...new Set(members.map((member) => member.session.shard?.count ?? 0))]
  if (counts.length > 1) {
    throw new MergeInputError(
      `strikes: the shards of group "${shown(group)}" disagree on the shard count ` +
        `(${counts.join(' and ')}): ` +
        `${members.map(describe).join(', ')}. Nothing was merged`,
    )
  }
  const count = counts[0] ?? 0
  const present = new Map<number, string>()
  for (const [sourceSession, merged] of target.merged) {
    if (merged.group === group && merged.index !== null) present.set(merged.index, sourceSession)
  }
  const byIndex = new Map<number, SessionFrom>()
  for (const member of members) {
    const index = member.session.shard?.index ?? 0
    const other = byIndex.get(index)
    if (other !== undefined) {
      throw new MergeInputError(
        `strikes: two sessions claim shard ${index}/${count} of group "${shown(group)}" ` +
          'with different data: ' +
          `${describe(other)} and ${describe(member)}; give one of them. Nothing was merged`,
      )
    }
    const merged = present.get(index)
    if (merged !== undefined) {
      throw new MergeInputError(
        `strikes: shard ${index}/${count} of group "${shown(group)}" ` +
          `is already merged from session ${shown(merged)}; ` +
          `${describe(member)} claims it with different data. Nothing was merged`,
      )
    }
    byIndex.set(index, member)
  }
  const missing: number[] = []
  for (let index = 1; index <= count; index++)
    if (!byIndex.has(index) && !present.has(index)) missing.push(index)
  if (missing.length > 0 && !options.allowPartial) {
    throw new MergeInputError(
      `strikes: group "${shown(group)}" has ${count} shards; ${shardList(missing, count)} ` +
        `${missing.length === 1 ? 'is' : 'are'} missing (given: ${[...byIndex.keys(), ...present.keys()]
          .sort((a, b) => a - b)
          .map((index) => `${index}/${count}`)
          .join(', ')}). Give every shard's database, or pass --allow-partial. Nothing was merged`,
    )
  }
  return {
    group,
    count,
    sessionId: mergedSessionId(group),
    imports: [...byIndex.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, member]) => ({ ...member, index })),
    present: [...present.keys()].sort((a, b) => a - b),
    missing,
  }
}

/** Stored text (a group, a session id) made safe to print: control characters become `?`, cut at 200. */
export function shown(text: string): string {
  const safe = text.replace(/[\p{Cc}\u2028\u2029]/gu, '?')
  return safe.length > 200 ? `${safe.slice(0, 200)}…` : safe
}

/** `shard 2/3`, `shards 2/3 and 3/3`, `shards 1/40, 2/40, …, 8/40 and 12 more`. */
export function shardList(indices: readonly number[], count: number): string {
  const names = indices.map((index) => `${index}/${count}`)
  if (names.length === 1) return `shard ${names[0]}`
  if (names.length > 20) return `shards ${names.slice(0, 8).join(', ')} and ${names.length - 8} more`
  return `shards ${names.slice(0, -1).join(', ')} and ${names.at(-1)}`
}

function describe(member: SessionFrom): string {
  const shard = member.session.shard
  const which = shard === undefined ? '' : `, shard ${shard.index}/${shard.count}`
  return `${member.source.path} (session ${shown(member.session.sessionId)}${which})`
}
