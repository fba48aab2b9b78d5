/**
 * Synthetic sessions for the `strikes ui` tests and benchmark, written straight into a strikes DuckDB file
 * with set-based SQL (`range(n)`), laid out as the reporter lays out real ones: each run's rows contiguous
 * (runs are ingested one by one), OpenTelemetry-like random hex ids, tasks under test spans, some tasks with
 * a nested model call (GenAI attributes, prompt and completion) and a nested child task, varied text in
 * inputs and outputs, task-level scores mirrored as run-level points. Inputs are shared between sessions
 * (the same input hashes), so two sessions compare input by input.
 */
import { openDatabase } from '../../reporter/store/database.js'

/** One synthetic session. */
export interface SyntheticUiSession {
  readonly id: string
  /** Task calls (kind `task`, direct children of tests), spread evenly over the runs; every 25th fails. */
  readonly tasks: number
  /** Eval files (default 4). */
  readonly runs?: number
  readonly startedAt: Date
  /** Added to every quality score, clamped to [0, 1] (to make a session better or worse). */
  readonly qualityShift?: number
  /** Session status (default `failed`: it has failed tasks). */
  readonly status?: string
  readonly gitSha?: string
}

const LABELS = ['summarize', 'classify', 'extract']
/** Words the inputs and outputs are made of, so text search meets realistic, varied text. */
const WORDS = (
  'refund invoice shipping delay customer account password reset order cancel billing address ' +
  'warranty return policy discount coupon delivery tracking damaged missing charge payment card ' +
  'subscription upgrade downgrade support agent escalate priority urgent question answer summary ' +
  'contract renewal pricing quote enterprise trial license seat login error timeout outage status ' +
  'feature request bug report feedback survey rating review complaint praise thanks hello'
).split(' ')

/** Writes the sessions into a new (or existing) strikes database at `path`. */
export async function writeSyntheticUiSessions(
  path: string,
  sessions: readonly SyntheticUiSession[],
): Promise<void> {
  const database = await openDatabase(path)
  try {
    for (const session of sessions) {
      const runs = session.runs ?? 4
      await database.transaction(async () => {
        await database.run(sessionStatement(session))
        for (let run = 0; run < runs; run++) {
          for (const statement of runStatements(session, run, runs)) await database.run(statement)
        }
      })
    }
    await database.run('CHECKPOINT')
  } finally {
    database.close()
  }
}

function q(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

function sessionStatement(session: SyntheticUiSession): string {
  const micros = session.startedAt.getTime() * 1000
  return `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version,
      vitest_version, git_sha, root) VALUES (${q(session.id)}, make_timestamp(${micros}::BIGINT),
      make_timestamp(${micros + 600_000_000}::BIGINT), ${q(session.status ?? 'failed')}, false, '0.0.0', '4.1.12',
      ${q(session.gitSha ?? 'abc1234def5678')}, '/synthetic')`
}

/** The statements writing run `r` of a session: the run, its tests, tasks, nested spans, values and metrics. */
function runStatements(session: SyntheticUiSession, r: number, runs: number): string[] {
  const id = session.id
  const runId = q(`${id}-run-${r}`)
  const base = session.startedAt.getTime() * 1000 + r * 1_000_000
  const ts = (offset: string) => `make_timestamp(${base}::BIGINT + (${offset})::BIGINT)`
  // Task i of the session belongs to run i % runs; `j` numbers the run's own tasks.
  const count = Math.floor(session.tasks / runs) + (r < session.tasks % runs ? 1 : 0)
  const tests = Math.max(1, Math.min(250, count))
  const shift = session.qualityShift ?? 0
  const hex = (seed: string) => `left(md5(${q(id)} || ${seed}), 16)`
  const labels = `[${LABELS.map(q).join(', ')}]`
  const words = `[${WORDS.map(q).join(', ')}]`
  const text = (seed: string, n: number) =>
    `array_to_string(list_transform(range(${n}), k -> ${words}[1 + (hash(${seed} * 7919 + k) % ${WORDS.length})::INTEGER]), ' ')`
  // The session-independent input number of task j of this run.
  const input = `(j * ${runs} + ${r})`
  const task = `FROM range(${count}) t(j)`
  return [
    `INSERT INTO runs (run_id, session_id, project, name, file, status, started_at, ended_at, duration_ms, params,
      tags) VALUES (${runId}, ${q(id)}, 'synthetic', 'suite-${r}.eval.ts', '/synthetic/suite-${r}.eval.ts', 'failed',
      ${ts('0')}, ${ts('500000000')}, 500000, '{"model":"mock"}', ['nightly'])`,
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
      duration_ms, attributes) SELECT ${hex(`'test-${r}-' || k`)}, ${hex(`'trace-${r}-' || k`)}, ${runId}, NULL, 'test',
      'suite-${r}.eval.ts > case ' || k, 'case_' || k, [], 'ok', NULL, ${ts('k * 1000')}, 10, '{}'
      FROM range(${tests}) t(k)`,
    // Tasks: every 25th fails with an error and a stack; duration varies.
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
      duration_ms, attributes) SELECT ${hex(`'task-' || ${input}`)}, ${hex(`'trace-${r}-' || (j % ${tests})`)}, ${runId},
      ${hex(`'test-${r}-' || (j % ${tests})`)}, 'task', ${labels}[(${input} % 3) + 1], ${labels}[(${input} % 3) + 1],
      CASE WHEN ${input} % 7 = 0 THEN ['slow'] ELSE [] END,
      CASE WHEN ${input} % 25 = 3 THEN 'error' ELSE 'ok' END,
      CASE WHEN ${input} % 25 = 3 THEN 'Error: synthetic failure ' || ${input} || ' <script>alert(1)</script>' END,
      ${ts(`1000000 + j * 10`)}, 5 + (hash(${input}) % 2000)::DOUBLE / 10,
      CASE WHEN ${input} % 25 = 3 THEN json_object('exception.stacktrace',
        'Error: synthetic failure ' || ${input} || chr(10) || repeat('    at frame (file.ts:1:1)' || chr(10), 20))
      ELSE '{}'::JSON END
      ${task}`,
    // Every 10th task calls a model (a span with GenAI attributes) and every 20th a nested task.
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
      duration_ms, attributes) SELECT ${hex(`'call-' || ${input}`)}, ${hex(`'trace-${r}-' || (j % ${tests})`)}, ${runId},
      ${hex(`'task-' || ${input}`)}, 'span', 'chat mock-model', 'chat_mock_model', [], 'ok', NULL,
      ${ts(`1000001 + j * 10`)}, 3, json_object('gen_ai.request.model', 'mock-model', 'gen_ai.provider.name', 'mock',
        'gen_ai.usage.input_tokens', 20 + ${input} % 50, 'gen_ai.usage.output_tokens', 4 + ${input} % 9,
        'strikes.ai.cost_usd', 0.00002 + (${input} % 9) * 0.00001, 'strikes.ai.latency_ms', 3)
      ${task} WHERE ${input} % 10 = 0`,
    `INSERT INTO spans (span_id, trace_id, run_id, parent_id, kind, name, label, tags, status, error, started_at,
      duration_ms, attributes) SELECT ${hex(`'child-' || ${input}`)}, ${hex(`'trace-${r}-' || (j % ${tests})`)}, ${runId},
      ${hex(`'task-' || ${input}`)}, 'task', 'lookup', 'lookup', [], 'ok', NULL, ${ts(`1000002 + j * 10`)}, 1, '{}'
      ${task} WHERE ${input} % 20 = 0`,
    `INSERT INTO metrics (run_id, span_id, name, value, step, ts, source, attributes, seq)
      SELECT ${runId}, ${hex(`'task-' || ${input}`)}, 'quality',
        least(1, greatest(0, ((${input} * 7919) % 1000) / 1000.0 + ${shift})), 0, ${ts('j')}, 'scorer', NULL, j * 2
      ${task} WHERE ${input} % 25 <> 3`,
    `INSERT INTO metrics (run_id, span_id, name, value, step, ts, source, attributes, seq)
      SELECT ${runId}, ${hex(`'task-' || ${input}`)}, 'tokens', ${input} % 500, 0, ${ts('j')}, 'log', NULL, j * 2 + 1
      ${task} WHERE ${input} % 25 <> 3`,
    `INSERT INTO run_metrics (run_id, span_id, name, value, raw_value, mode, step, ts, seq)
      SELECT m.run_id, m.span_id, s.label || '.' || m.name, m.value, m.value, NULL, 0, m.ts, m.seq
      FROM metrics m JOIN spans s ON s.run_id = m.run_id AND s.span_id = m.span_id WHERE m.run_id = ${runId}`,
    // Inputs are the same in every session; outputs depend on the session.
    `INSERT INTO objects (run_id, hash, value, size_bytes, truncated)
      SELECT ${runId}, md5('in' || ${input}), to_json('question ' || ${input} || ': ' || ${text(input, 24)}), 200, false
      ${task}`,
    `INSERT INTO objects (run_id, hash, value, size_bytes, truncated)
      SELECT ${runId}, md5(${q(id)} || 'out' || ${input}), to_json('answer ' || ${input} || ': ' || ${text(`(${input} + 17)`, 30)}), 260, false
      ${task} WHERE ${input} % 25 <> 3`,
    `INSERT INTO task_io (run_id, span_id, direction, name, hash)
      SELECT ${runId}, ${hex(`'task-' || ${input}`)}, 'input', 'text', md5('in' || ${input}) ${task}`,
    `INSERT INTO task_io (run_id, span_id, direction, name, hash)
      SELECT ${runId}, ${hex(`'task-' || ${input}`)}, 'output', 'output', md5(${q(id)} || 'out' || ${input})
      ${task} WHERE ${input} % 25 <> 3`,
    // The model calls' prompts are the task's input; their completions the task's output.
    `INSERT INTO task_io (run_id, span_id, direction, name, hash)
      SELECT ${runId}, ${hex(`'call-' || ${input}`)}, 'input', 'prompt', md5('in' || ${input}) ${task} WHERE ${input} % 10 = 0`,
    `INSERT INTO task_io (run_id, span_id, direction, name, hash)
      SELECT ${runId}, ${hex(`'call-' || ${input}`)}, 'output', 'output', md5(${q(id)} || 'out' || ${input})
      ${task} WHERE ${input} % 10 = 0 AND ${input} % 25 <> 3`,
  ]
}
