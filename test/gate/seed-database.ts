/**
 * A strikes database written by hand for gate, statistics and CLI tests: sessions, runs, and run-level
 * series — plain (no task) or per input, with a task span per point carrying `input_key` and `trial`, an
 * output, and a cached model call when asked. Points are written in bulk (one statement per table).
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { type Database, openDatabase } from '../../reporter/store/database.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'

/** One task call's point of a run-level key `<label>.<metric>`. */
export interface SeedPoint {
  /** The task's `input_key`; `null` (or absent) as recorded before input keys existed. */
  readonly input?: string | null
  /** The call's trial; absent or `null` is stored as NULL. */
  readonly trial?: number | null
  readonly value: number
  /** The task's output (a string), stored in `objects` and `task_io`. */
  readonly output?: string
  /** The task's input (a string), stored as input `text`. */
  readonly inputText?: string
  /** The task made a model call answered from the response cache. */
  readonly cached?: boolean
  /** Reuse the task span of an earlier point with this id (several metrics of one call). */
  readonly call?: string
  /** The metric's `mode` (`run_metrics.mode`). */
  readonly mode?: string
}

/** A run and its run-level series (raw values, in order). */
export interface SeedRun {
  readonly name: string
  readonly project?: string
  readonly status?: string
  /** Points without a task (`span_id` NULL). */
  readonly series?: Record<string, readonly number[]>
  /** Points of task calls, per key. */
  readonly points?: Record<string, readonly SeedPoint[]>
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
      `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version, git_sha, root)
       VALUES (?, ?::TIMESTAMP, ?::TIMESTAMP, 'passed', NULL, 'test', ?, '/tmp')`,
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
      if (run.points !== undefined) seq = await appendPoints(database, runId, runStart, run.points)
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

interface SpanRow {
  span_id: string
  parent_id: string | null
  kind: string
  label: string
  input_key: string | null
  trial: number | null
  attributes: string
}

/** Writes the points of one run (task spans, run-level points, outputs, cached calls); returns the next seq. */
async function appendPoints(
  database: Database,
  runId: string,
  startedAt: string,
  points: Record<string, readonly SeedPoint[]>,
): Promise<number> {
  const spans: SpanRow[] = []
  const metrics: { span_id: string; name: string; value: number; seq: number; mode: string | null }[] = []
  const values: { span_id: string; direction: string; name: string; hash: string; value: string }[] = []
  const calls = new Map<string, string>()
  let seq = 0
  for (const [key, list] of Object.entries(points)) {
    const label = key.includes('.') ? key.slice(0, key.indexOf('.')) : 'task'
    for (const point of list) {
      let spanId = point.call === undefined ? undefined : calls.get(point.call)
      if (spanId === undefined) {
        spanId = `${runId}/span-${spans.length}`
        if (point.call !== undefined) calls.set(point.call, spanId)
        spans.push({
          span_id: spanId,
          parent_id: null,
          kind: 'task',
          label,
          input_key: point.input ?? null,
          trial: point.trial ?? null,
          attributes: '{}',
        })
        if (point.output !== undefined) {
          values.push({
            span_id: spanId,
            direction: 'output',
            name: 'output',
            hash: `out-${spanId}`,
            value: point.output,
          })
        }
        if (point.inputText !== undefined) {
          values.push({
            span_id: spanId,
            direction: 'input',
            name: 'text',
            hash: `in-${spanId}`,
            value: point.inputText,
          })
        }
        if (point.cached === true) {
          spans.push({
            span_id: `${spanId}/model`,
            parent_id: spanId,
            kind: 'span',
            label: 'chat_mock',
            input_key: null,
            trial: null,
            attributes: JSON.stringify({ 'strikes.cache.hit': true }),
          })
        }
      }
      metrics.push({ span_id: spanId, name: key, value: point.value, seq: seq++, mode: point.mode ?? null })
    }
  }
  await insertJson(
    database,
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, started_at, duration_ms,
       attributes, input_key, trial)
     SELECT span_id, 'trace', ?, parent_id, kind, label, label, [], 'ok', ?::TIMESTAMP, 1, attributes::JSON, input_key, trial
     FROM (SELECT unnest(json_transform(?::JSON, '[{"span_id":"VARCHAR","parent_id":"VARCHAR","kind":"VARCHAR","label":"VARCHAR","input_key":"VARCHAR","trial":"INTEGER","attributes":"VARCHAR"}]'), recursive := true))`,
    [runId, startedAt],
    spans,
  )
  // Values are sent as text: JSON numbers cannot carry NaN or ±Infinity.
  await insertJson(
    database,
    `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
     SELECT ?, span_id, name, value::DOUBLE, value::DOUBLE, mode, 0, ?::TIMESTAMP, seq
     FROM (SELECT unnest(json_transform(?::JSON, '[{"span_id":"VARCHAR","name":"VARCHAR","value":"VARCHAR","seq":"BIGINT","mode":"VARCHAR"}]'), recursive := true))`,
    [runId, startedAt],
    metrics.map((row) => ({ ...row, value: String(row.value) })),
  )
  if (values.length > 0) {
    await insertJson(
      database,
      `INSERT INTO task_io (run_id, span_id, direction, name, hash)
       SELECT ?, span_id, direction, name, hash
       FROM (SELECT unnest(json_transform(?::JSON, '[{"span_id":"VARCHAR","direction":"VARCHAR","name":"VARCHAR","hash":"VARCHAR"}]'), recursive := true))`,
      [runId],
      values,
    )
    await insertJson(
      database,
      `INSERT INTO objects (run_id, hash, value, size_bytes, truncated)
       SELECT ?, hash, to_json(value), length(value), false
       FROM (SELECT unnest(json_transform(?::JSON, '[{"hash":"VARCHAR","value":"VARCHAR"}]'), recursive := true))`,
      [runId],
      values,
    )
  }
  return seq
}

/** Runs an INSERT … SELECT over `rows` passed as one JSON parameter (after `params`), in chunks. */
async function insertJson(
  database: Database,
  sql: string,
  params: readonly (string | number)[],
  rows: readonly object[],
): Promise<void> {
  for (let start = 0; start < rows.length; start += 50_000) {
    await database.run(sql, [...params, JSON.stringify(rows.slice(start, start + 50_000))])
  }
}
