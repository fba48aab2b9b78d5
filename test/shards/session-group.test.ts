/**
 * The session group of a shard — what makes the shards of one CI run one session when merged: the
 * explicit `STRIKES_SESSION_GROUP`, else the CI run (GitHub Actions run and attempt, GitLab pipeline),
 * else the git sha and the shard count. And the merged session's id, derived from the group alone.
 */
import { describe, expect, test } from 'vitest'
import { mergedSessionId, shardList } from '../../reporter/merge/merge-plan.js'
import { sessionGroup } from '../../reporter/session/session-group.js'

const shard = { index: 2, count: 4 }

describe('sessionGroup', () => {
  test('STRIKES_SESSION_GROUP wins, without control characters, cut at 200 characters', () => {
    const env = { STRIKES_SESSION_GROUP: ' nightly-42\u001b[2J ', GITHUB_RUN_ID: '7' }
    expect(sessionGroup(shard, 'abc', env)).toBe('nightly-42[2J')
    expect(sessionGroup(shard, 'abc', { STRIKES_SESSION_GROUP: 'x'.repeat(500) })).toHaveLength(200)
  })

  test('GitHub Actions: the repository, run id and attempt (a re-run attempt is another group)', () => {
    const env = { GITHUB_REPOSITORY: 'acme/evals', GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2' }
    expect(sessionGroup(shard, 'abc', env)).toBe('github:acme/evals/123/2')
    expect(sessionGroup(shard, 'abc', { GITHUB_RUN_ID: '123' })).toBe('github:/123/1')
  })

  test('GitLab: the project and pipeline', () => {
    expect(sessionGroup(shard, 'abc', { CI_PIPELINE_ID: '99', CI_PROJECT_PATH: 'acme/evals' })).toBe(
      'gitlab:acme/evals/99',
    )
  })

  test('elsewhere: the git sha and the shard count, or the shard count alone outside git', () => {
    expect(sessionGroup(shard, 'abc123', {})).toBe('git:abc123/4')
    expect(sessionGroup(shard, undefined, {})).toBe('shards:4')
  })
})

describe('merged sessions', () => {
  test('the merged session id depends on the group only, and looks like a UUID', () => {
    expect(mergedSessionId('github:acme/evals/123/1')).toBe(mergedSessionId('github:acme/evals/123/1'))
    expect(mergedSessionId('github:acme/evals/123/1')).not.toBe(mergedSessionId('github:acme/evals/123/2'))
    expect(mergedSessionId('g')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
  })

  test('shard lists name every shard, or the first eight and how many more', () => {
    expect(shardList([2], 3)).toBe('shard 2/3')
    expect(shardList([1, 3], 3)).toBe('shards 1/3 and 3/3')
    const many = Array.from({ length: 30 }, (_, index) => index + 1)
    expect(shardList(many, 40)).toBe('shards 1/40, 2/40, 3/40, 4/40, 5/40, 6/40, 7/40, 8/40 and 22 more')
  })
})
