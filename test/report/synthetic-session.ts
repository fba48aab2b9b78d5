/**
 * Synthetic sessions written straight into a strikes DuckDB file with set-based SQL (`range(n)`), for
 * report tests that need sizes no fixture project could produce in reasonable time.
 */
import { openDatabase } from '../../reporter/store/database.js'

/** One synthetic session. */
export interface SyntheticSession {
  readonly id: string
  /** Task calls, spread over the runs; every 25th one fails. */
  readonly tasks: number
  readonly runs?: number
  /** Start of the session; runs start one second apart after it. */
  readonly startedAt: Date
  /** Added to every quality score (to make a later session better or worse). */
  readonly qualityShift?: number
}

const LABELS = ['summarize', 'classify', 'extract']

/** Writes the sessions into a new (or existing) strikes database at `path`. */
export async function writeSyntheticSessions(
  path: string,
  sessions: readonly SyntheticSession[],
): Promise<void> {
  const database = await openDatabase(path)
  try {
    for (const session of sessions) await writeSession(database, session)
  } finally {
    database.close()
  }
}

async function writeSession(
  database: Awaited<ReturnType<typeof openDatabase>>,
  session: SyntheticSession,
): Promise<void> {
  const runs = session.runs ?? 4
  const micros = session.startedAt.getTime() * 1000
  const id = session.id
  const shift = session.qualityShift ?? 0
  const tasks = session.tasks
  const q = (text: string) => `'${text.replaceAll("'", "''")}'`
  const ts = (offsetMicros: string) => `make_timestamp(${micros}::BIGINT + (${offsetMicros})::BIGINT)`
  const labels = `[${LABELS.map(q).join(', ')}]`
  const statements = [
    // seq: sessions are recorded in the order they are written here, as the reporter numbers them.
    `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version, vitest_version,
      git_sha, root, seq) VALUES (${q(id)}, ${ts('0')}, ${ts('600000000')}, 'failed', false, '0.0.0', '4.1.12',
      'abc1234def5678', '/synthetic', (SELECT coalesce(max(seq), 0) + 1 FROM sessions))`,
    `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms, params,
      tags) SELECT ${q(id)} || '-run-' || r, ${q(id)}, 'synthetic', 'suite-' || r || '.eval.ts',
      '/synthetic/suite-' || r || '.eval.ts', 'failed', ${ts('r * 1000000')}, ${ts('r * 1000000 + 500000000')},
      500000, '{"model":"mock"}', ['nightly'] FROM range(${runs}) t(r)`,
    // 250 tests per run.
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
      duration_ms, attributes) SELECT ${q(id)} || '-test-' || r || '-' || k, 'trace', ${q(id)} || '-run-' || r, NULL, 'test',
      'suite-' || r || '.eval.ts > case ' || k, 'case_' || k, [], 'ok', NULL, ${ts('r * 1000000')}, 10, '{}'
      FROM range(${runs}) a(r), range(250) b(k)`,
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
      duration_ms, attributes) SELECT ${q(id)} || '-task-' || i, 'trace', ${q(id)} || '-run-' || (i % ${runs}),
      ${q(id)} || '-test-' || (i % ${runs}) || '-' || ((i // ${runs}) % 250), 'task',
      ${labels}[(i % 3) + 1], ${labels}[(i % 3) + 1], [],
      CASE WHEN i % 25 = 3 THEN 'error' ELSE 'ok' END,
      CASE WHEN i % 25 = 3 THEN 'Error: synthetic failure ' || i || ' <script>alert(1)</script>' END,
      ${ts('1000000 + i * 10')}, 5,
      CASE WHEN i % 25 = 3 THEN json_object('exception.stacktrace',
        'Error: synthetic failure ' || i || chr(10) || repeat('    at frame (file.ts:1:1)' || chr(10), 200))
      ELSE '{}'::JSON END
      FROM range(${tasks}) t(i)`,
    `INSERT INTO metrics SELECT ${q(id)} || '-run-' || (i % ${runs}), ${q(id)} || '-task-' || i, 'quality',
      least(1, greatest(0, ((i * 7919) % 1000) / 1000.0 + ${shift})), 0, ${ts('i')}, 'scorer',
      NULL, i * 2 FROM range(${tasks}) t(i) WHERE i % 25 <> 3`,
    `INSERT INTO metrics SELECT ${q(id)} || '-run-' || (i % ${runs}), ${q(id)} || '-task-' || i, 'tokens',
      i % 500, 0, ${ts('i')}, 'log', NULL, i * 2 + 1 FROM range(${tasks}) t(i) WHERE i % 25 <> 3`,
    `INSERT INTO run_metrics SELECT run_id, span_id, s.label || '.' || m.name, m.value, m.value, NULL, 0, m.ts, m.seq
      FROM metrics m JOIN spans s USING (run_id, span_id) WHERE s.run_id LIKE ${q(`${id}-run-%`)}`,
    `INSERT INTO objects SELECT DISTINCT ${q(id)} || '-run-' || (i % ${runs}), md5('in' || i),
      to_json('question ' || i || ': ' || repeat('lorem ipsum ', 20)), 260, false FROM range(${tasks}) t(i)`,
    `INSERT INTO objects SELECT DISTINCT ${q(id)} || '-run-' || (i % ${runs}), md5('out' || i),
      to_json('answer ' || i || ': ' || repeat('dolor sit amet ', 20)), 320, false FROM range(${tasks}) t(i)`,
    `INSERT INTO task_io SELECT ${q(id)} || '-run-' || (i % ${runs}), ${q(id)} || '-task-' || i, 'input', 'text',
      md5('in' || i) FROM range(${tasks}) t(i)`,
    `INSERT INTO task_io SELECT ${q(id)} || '-run-' || (i % ${runs}), ${q(id)} || '-task-' || i, 'output', 'output',
      md5('out' || i) FROM range(${tasks}) t(i) WHERE i % 25 <> 3`,
  ]
  await database.transaction(async () => {
    for (const statement of statements) await database.run(statement)
  })
}
