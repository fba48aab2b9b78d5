/** A strikes database written by hand for gate tests: sessions, runs and run-level series, nothing else. */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { type Database, openDatabase } from '../../reporter/store/database.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'

/** A run and its run-level series (raw values, in order). */
export interface SeedRun {
  readonly name: string
  readonly project?: string
  readonly status?: string
  readonly series?: Record<string, readonly number[]>
}

/** A session; sessions are started one minute apart in the order given unless `startedAt` says otherwise. */
export interface SeedSession {
  readonly id: string
  readonly gitSha?: string
  readonly startedAt?: string
  readonly runs: readonly SeedRun[]
}

/** A fresh database file under test/.tmp holding `sessions`; returns its path. */
export async function seedDatabase(sessions: readonly SeedSession[]): Promise<string> {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  const path = join(mkdtempSync(join(REPO_ROOT, 'test/.tmp/gates-db-')), 'strikes.duckdb')
  const database = await openDatabase(path)
  try {
    await appendSessions(database, sessions)
  } finally {
    database.close()
  }
  return path
}

/** Writes sessions into an open database. */
export async function appendSessions(database: Database, sessions: readonly SeedSession[]): Promise<void> {
  const existing = await database.query<{ n: bigint }>('SELECT count(*) AS n FROM sessions')
  let minute = Number(existing[0]?.n ?? 0n)
  for (const session of sessions) {
    const started = session.startedAt ?? new Date(Date.UTC(2026, 0, 1, 12, minute++)).toISOString()
    await database.run(
      // seq: the order sessions were recorded in (here, the order they are given), as the reporter numbers them.
      `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version, git_sha, root, seq)
       VALUES (?, ?::TIMESTAMP, ?::TIMESTAMP, 'passed', NULL, 'test', ?, '/tmp', (SELECT coalesce(max(seq), 0) + 1 FROM sessions))`,
      [session.id, started, started, session.gitSha ?? null],
    )
    let second = 0
    for (const run of session.runs) {
      const runId = `${session.id}/${run.project ?? 'p'}/${run.name}`
      const runStart = new Date(Date.parse(started) + 1000 * ++second).toISOString()
      await database.run(
        `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?::TIMESTAMP, ?::TIMESTAMP, 1)`,
        [
          runId,
          session.id,
          run.project ?? 'p',
          run.name,
          `/tmp/${run.name}`,
          run.status ?? 'passed',
          runStart,
          runStart,
        ],
      )
      let seq = 0
      for (const [key, values] of Object.entries(run.series ?? {})) {
        for (const value of values) {
          await database.run(
            `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
             VALUES (?, NULL, ?, ?, ?, NULL, NULL, ?::TIMESTAMP, ?)`,
            [runId, key, value, value, runStart, seq++],
          )
        }
      }
    }
  }
}
