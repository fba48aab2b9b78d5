/**
 * Benchmark 6: `strikes compare` of two sessions with N paired inputs × 5 keys (100,000 × 5 in the full
 * run): one eval file per session, N task spans each with its `input_key`, 5 run-level scores per task
 * (noisy, the candidate a little worse), and an output per task for the changed inputs to show. Generated
 * with SQL in a fresh database; timed as the whole CLI command (`node dist/reporter/cli/main.js compare`,
 * start-up included) and, separately, the pairing query alone in process. Besides wall time, the CPU time
 * (user + system, DuckDB's threads included) of each: on a shared machine it is the steadier figure.
 */
import { spawnSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { loadKeySummaries } from '../reporter/stats/key-summaries.js'
import { openDatabase } from '../reporter/store/database.js'
import { type Spread, spread } from './stats.js'
import { REPO } from './workspace.js'

/** The figures of the compare benchmark. */
export interface CompareResult {
  readonly inputs: number
  readonly keys: number
  /** Wall time of the whole `strikes compare` command (ms). */
  readonly cliMs: Spread
  /** CPU time (user + system) of the whole `strikes compare` command (ms; /usr/bin/time, 10 ms resolution). */
  readonly cliCpuMs: Spread
  /** Wall time of `strikes compare --json` (ms). */
  readonly jsonMs: Spread
  /** The pairing and per-key statistics query alone, in process (ms). */
  readonly queryMs: Spread
  /** CPU time of the process during that query (ms): DuckDB's threads and the row conversion. */
  readonly queryCpuMs: Spread
  readonly verdicts: Record<string, number>
}

const KEYS = 5

/** Builds the two sessions and times `strikes compare`, `runs` times each. */
export async function compareBenchmark(inputs: number, runs: number): Promise<CompareResult> {
  const path = join(REPO, 'bench/.tmp/compare.duckdb')
  rmSync(path, { force: true })
  rmSync(`${path}.wal`, { force: true })
  const database = await openDatabase(path)
  try {
    for (const [index, session] of ['baseline', 'candidate'].entries()) {
      const run = `${session}-run`
      const shift = session === 'candidate' ? -0.01 : 0
      await database.run(
        `INSERT INTO sessions (session_id, started_at, ended_at, status, strikes_version, root)
         VALUES (?, TIMESTAMP '2026-01-01' + to_hours(?), TIMESTAMP '2026-01-01' + to_hours(?), 'passed', 'bench', '/bench')`,
        [session, index, index],
      )
      await database.run(
        `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms)
         VALUES (?, ?, 'bench', 'bench.eval.ts', '/bench/bench.eval.ts', 'passed',
           TIMESTAMP '2026-01-01' + to_hours(?), TIMESTAMP '2026-01-01' + to_hours(?), 1)`,
        [run, session, index, index],
      )
      await database.run(
        `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, started_at,
           duration_ms, attributes, input_key, trial)
         SELECT '${session}-' || i, 'trace', '${run}', NULL, 'task', 'answer', 'answer', [], 'ok',
           TIMESTAMP '2026-01-01' + to_microseconds(i), 1, '{}', md5('input ' || i), 0
         FROM range(${inputs}) t(i)`,
      )
      // Each input has a true quality per key; each session scores it with noise of its own.
      await database.run(
        `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
         SELECT '${run}', '${session}-' || i, 'answer.score_' || k,
           v, v, NULL, 0, TIMESTAMP '2026-01-01', i * ${KEYS} + k
         FROM (SELECT i, k, ((hash(i * 7 + k) % 1000) / 1000.0) * 0.6 + 0.2 + ${shift} + (random() - 0.5) * 0.3 AS v
               FROM range(${inputs}) a(i), range(${KEYS}) b(k))`,
      )
      await database.run(
        `INSERT INTO objects (run_id, hash, value, size_bytes, truncated)
         SELECT '${run}', md5('${session} out ' || i), to_json('${session} answer ' || i || ': ' || repeat('lorem ipsum ', 8)), 120, false
         FROM range(${inputs}) t(i)`,
      )
      await database.run(
        `INSERT INTO task_io (run_id, span_id, direction, name, hash)
         SELECT '${run}', '${session}-' || i, 'output', 'output', md5('${session} out ' || i) FROM range(${inputs}) t(i)`,
      )
    }
    await database.run('CHECKPOINT')
    const queryTimes: number[] = []
    const queryCpu: number[] = []
    for (let attempt = 0; attempt < runs; attempt++) {
      const cpu = process.cpuUsage()
      const started = performance.now()
      await loadKeySummaries(database, [{ baselineRunId: 'baseline-run', candidateRunId: 'candidate-run' }], {
        topInputs: 10,
      })
      queryTimes.push(performance.now() - started)
      const used = process.cpuUsage(cpu)
      queryCpu.push((used.user + used.system) / 1000)
    }
    database.close()
    const cli = join(REPO, 'dist/reporter/cli/main.js')
    const time = (args: string[]): { ms: number; cpuMs: number; out: string } => {
      const started = performance.now()
      // /usr/bin/time writes the command's user and system seconds as the last line of stderr.
      const ran = spawnSync(
        '/usr/bin/time',
        ['-f', 'cpu %U %S', process.execPath, cli, 'compare', 'baseline', 'candidate', '--db', path, ...args],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      )
      const ms = performance.now() - started
      if (ran.status !== 0) throw new Error(`strikes compare failed: ${ran.stderr}`)
      const [, user, system] = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(ran.stderr) ?? []
      return { ms, cpuMs: (Number(user) + Number(system)) * 1000, out: ran.stdout }
    }
    const cliTimes: number[] = []
    const cliCpu: number[] = []
    const jsonTimes: number[] = []
    let verdicts: Record<string, number> = {}
    for (let attempt = 0; attempt < runs; attempt++) {
      const table = time([])
      cliTimes.push(table.ms)
      cliCpu.push(table.cpuMs)
      const json = time(['--json'])
      jsonTimes.push(json.ms)
      verdicts = {}
      for (const key of (JSON.parse(json.out) as { keys: { verdict: string }[] }).keys) {
        verdicts[key.verdict] = (verdicts[key.verdict] ?? 0) + 1
      }
    }
    return {
      inputs,
      keys: KEYS,
      cliMs: spread(cliTimes),
      cliCpuMs: spread(cliCpu),
      jsonMs: spread(jsonTimes),
      queryMs: spread(queryTimes),
      queryCpuMs: spread(queryCpu),
      verdicts,
    }
  } finally {
    database.close()
  }
}
