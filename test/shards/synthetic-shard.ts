/**
 * Shard databases built with SQL, as a `vitest --shard=i/n` session would leave them (sessions, runs,
 * task spans, metrics, run-level points, objects, task I/O, session files, thresholds), at any size:
 * for the merge's bad-input tests and for `bench/merge.ts` (20 shards × 50,000 tasks).
 */
import { rmSync } from 'node:fs'
import { openDatabase } from '../../reporter/store/database.js'

/** What one synthetic shard holds. */
export interface SyntheticShard {
  readonly path: string
  /** 1-based shard index, of `count`. */
  readonly index: number
  readonly count: number
  readonly group: string
  /** Task spans in all (spread over `runs` runs, one eval file each). */
  readonly tasks: number
  readonly runs?: number
  /** The score every task of this shard records (default: a value derived from the task). */
  readonly score?: number
  /** The session id (default `shard-<group>-<index>`). */
  readonly sessionId?: string
  /** Thresholds stored with the session (default `{ "task.score": ["avg >= 0"] }`). */
  readonly thresholds?: Record<string, string[]>
}

/** Writes a shard database at `shard.path` (replacing any file there). */
export async function writeSyntheticShard(shard: SyntheticShard): Promise<void> {
  rmSync(shard.path, { force: true })
  rmSync(`${shard.path}.wal`, { force: true })
  const database = await openDatabase(shard.path)
  const session = shard.sessionId ?? `shard-${shard.group}-${shard.index}`
  const runs = shard.runs ?? 1
  const perRun = Math.max(1, Math.ceil(shard.tasks / runs))
  const score = shard.score === undefined ? '((i * 37 + 7) % 10) / 10.0' : String(shard.score)
  const run = (expr: string): string => `'${session}-run-' || (${expr})`
  const file = (expr: string): string => `'evals/shard-${shard.index}-' || (${expr}) || '.eval.ts'`
  try {
    const gateConfig = JSON.stringify([
      {
        project: 'bench',
        thresholds: shard.thresholds ?? { 'task.score': ['avg >= 0'] },
        baseline: null,
        strict: false,
      },
    ])
    await database.run(
      `INSERT INTO sessions (session_id, started_at, ended_at, status, strikes_version, vitest_version, git_sha, root,
         partial, selection, gate_config, shard_index, shard_count, session_group)
       VALUES (?, TIMESTAMP '2026-11-01 10:00:00' + to_seconds(?), TIMESTAMP '2026-11-01 10:05:00' + to_seconds(?),
         'passed', '0.1.0', '4.1.12', 'abc123', '/ci/project', true, ?::JSON, ?::JSON, ?, ?, ?)`,
      [
        session,
        shard.index,
        shard.index,
        JSON.stringify({
          reasons: [`--shard=${shard.index}/${shard.count}`],
          testNamePattern: null,
          shard: { index: shard.index, count: shard.count },
        }),
        gateConfig,
        shard.index,
        shard.count,
        shard.group,
      ],
    )
    await database.run(
      `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms, params, tags, shard_index)
       SELECT ${run('r')}, ?, 'bench', ${file('r')}, '/ci/project/' || ${file('r')}, 'passed',
         TIMESTAMP '2026-11-01 10:00:00', TIMESTAMP '2026-11-01 10:01:00', 60000, '{}'::JSON, [], ?
       FROM range(${runs}) t(r)`,
      [session, shard.index],
    )
    await database.run(
      `INSERT INTO session_files (session_id, project, name, file, selected)
       SELECT ?, 'bench', ${file('r')}, '/ci/project/' || ${file('r')}, true FROM range(${runs}) t(r)`,
      [session],
    )
    await database.run(
      `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
         duration_ms, attributes, input_key, trial)
       SELECT '${session}-span-' || i, '${session}-trace-' || (i // ${perRun}), ${run(`i // ${perRun}`)}, NULL, 'task',
         'task', 'task', [], 'ok', NULL, TIMESTAMP '2026-11-01 10:00:00' + to_microseconds(i), 1.5,
         '{"strikes.task":"task"}'::JSON, 'input-' || i, 0
       FROM range(${shard.tasks}) t(i)`,
    )
    await database.run(
      `INSERT INTO metrics (run_id, span_id, name, value, step, ts, source, attributes, seq)
       SELECT ${run(`i // ${perRun}`)}, '${session}-span-' || i, 'score', ${score}, 0,
         TIMESTAMP '2026-11-01 10:00:00' + to_microseconds(i), 'task', NULL, i
       FROM range(${shard.tasks}) t(i)`,
    )
    await database.run(
      `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
       SELECT ${run(`i // ${perRun}`)}, '${session}-span-' || i, 'task.score', ${score}, ${score}, 'direct', 0,
         TIMESTAMP '2026-11-01 10:00:00' + to_microseconds(i), i
       FROM range(${shard.tasks}) t(i)`,
    )
    await database.run(
      `INSERT INTO objects (run_id, hash, value, size_bytes, truncated)
       SELECT ${run(`i // ${perRun}`)}, 'hash-' || i, ('{"input":' || i || ',"text":"item ' || i || '"}')::JSON, 30, false
       FROM range(${shard.tasks}) t(i)`,
    )
    await database.run(
      `INSERT INTO task_io (run_id, span_id, direction, name, hash)
       SELECT ${run(`i // ${perRun}`)}, '${session}-span-' || i, d, d, 'hash-' || i
       FROM range(${shard.tasks}) t(i), (VALUES ('input'), ('output')) v(d)`,
    )
    await database.run('CHECKPOINT')
  } finally {
    database.close()
  }
}
