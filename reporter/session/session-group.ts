/**
 * The session group of a sharded run: the name the shards of one CI run share, so `strikes merge` makes
 * them one session. `STRIKES_SESSION_GROUP` when set; otherwise the CI run (GitHub Actions
 * `GITHUB_RUN_ID` and `GITHUB_RUN_ATTEMPT`, GitLab `CI_PIPELINE_ID`); otherwise the git sha and the shard
 * count; otherwise the shard count alone (shards run by hand, outside git).
 */

/** A session's shard: `index` of `count` (1-based, as `vitest --shard=index/count`). */
export interface ShardOf {
  readonly index: number
  readonly count: number
}

/** The longest group name stored (a longer `STRIKES_SESSION_GROUP` is cut). */
const MAX_GROUP_LENGTH = 200

/** The group of the shards of one CI run, from the environment and the git sha. */
export function sessionGroup(shard: ShardOf, gitSha: string | undefined, env: NodeJS.ProcessEnv): string {
  // Control characters are dropped: the group is printed by `strikes merge`.
  const explicit = env.STRIKES_SESSION_GROUP?.replace(/\p{Cc}/gu, '').trim()
  if (explicit !== undefined && explicit !== '') return explicit.slice(0, MAX_GROUP_LENGTH)
  const runId = env.GITHUB_RUN_ID?.trim()
  if (runId) return `github:${env.GITHUB_REPOSITORY ?? ''}/${runId}/${env.GITHUB_RUN_ATTEMPT?.trim() || '1'}`
  const pipeline = env.CI_PIPELINE_ID?.trim()
  if (pipeline) return `gitlab:${env.CI_PROJECT_PATH ?? ''}/${pipeline}`
  if (gitSha !== undefined) return `git:${gitSha}/${shard.count}`
  return `shards:${shard.count}`
}
