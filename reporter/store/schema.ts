/**
 * The DuckDB schema of strikes, as forward migrations. Each migration runs once, in a transaction, and
 * is recorded in `strikes_schema`; a database newer than this package is refused with a clear error.
 */

import { metricStatsViewStatements } from '../stats/metric-stats-sql.js'

/** One forward migration. */
export interface Migration {
  readonly version: number
  readonly description: string
  readonly statements: readonly string[]
}

/** The table recording applied migrations (created in the first migration's transaction). */
export const SCHEMA_TABLE =
  'CREATE TABLE IF NOT EXISTS strikes_schema (version INTEGER PRIMARY KEY, description VARCHAR, applied_at TIMESTAMP)'

/** Every migration in order; the last one's version is the current schema version. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description:
      'sessions, runs, spans, metrics, run_metrics, objects, task_io; latest_runs and metric_summary',
    statements: [
      `CREATE TABLE sessions (
        session_id VARCHAR PRIMARY KEY,
        started_at TIMESTAMP,
        ended_at TIMESTAMP,
        status VARCHAR,
        gate_passed BOOLEAN,
        strikes_version VARCHAR,
        vitest_version VARCHAR,
        git_sha VARCHAR,
        root VARCHAR
      )`,
      `CREATE TABLE runs (
        run_id VARCHAR PRIMARY KEY,
        session_id VARCHAR,
        project VARCHAR,
        name VARCHAR,
        file VARCHAR,
        status VARCHAR,
        started_at TIMESTAMP,
        ended_at TIMESTAMP,
        duration_ms DOUBLE,
        params JSON,
        tags VARCHAR[]
      )`,
      `CREATE TABLE spans (
        span_id VARCHAR,
        trace_id VARCHAR,
        run_id VARCHAR,
        parent_id VARCHAR,
        kind VARCHAR,
        name VARCHAR,
        label VARCHAR,
        tags VARCHAR[],
        status VARCHAR,
        error VARCHAR,
        started_at TIMESTAMP,
        duration_ms DOUBLE,
        attributes JSON
      )`,
      `CREATE TABLE metrics (
        run_id VARCHAR,
        span_id VARCHAR,
        name VARCHAR,
        value DOUBLE,
        step DOUBLE,
        ts TIMESTAMP,
        source VARCHAR,
        attributes JSON,
        seq BIGINT
      )`,
      `CREATE TABLE run_metrics (
        run_id VARCHAR,
        span_id VARCHAR,
        name VARCHAR,
        value DOUBLE,
        raw_value DOUBLE,
        mode VARCHAR,
        step DOUBLE,
        ts TIMESTAMP,
        seq BIGINT
      )`,
      `CREATE TABLE objects (
        run_id VARCHAR,
        hash VARCHAR,
        value JSON,
        size_bytes BIGINT,
        truncated BOOLEAN
      )`,
      `CREATE TABLE task_io (
        run_id VARCHAR,
        span_id VARCHAR,
        direction VARCHAR,
        name VARCHAR,
        hash VARCHAR
      )`,
      `CREATE VIEW latest_runs AS
        SELECT * FROM runs
        QUALIFY row_number() OVER (PARTITION BY project, name ORDER BY started_at DESC, run_id) = 1`,
      `CREATE VIEW metric_summary AS
        SELECT run_id, name,
          count(*) AS count,
          avg(raw_value) AS avg,
          min(raw_value) AS min,
          max(raw_value) AS max,
          quantile_cont(raw_value, 0.5) AS p50,
          quantile_cont(raw_value, 0.95) AS p95
        FROM run_metrics
        GROUP BY run_id, name`,
    ],
  },
  {
    version: 2,
    description: 'gates: threshold and regression gate results of each session',
    statements: [
      // One row per gate and run (run_id NULL for a key no run recorded). verdict: pass | fail | no data |
      // no baseline; passed: whether the row lets the session pass (no baseline passes unless strict).
      `CREATE TABLE gates (
        session_id VARCHAR,
        run_id VARCHAR,
        key VARCHAR,
        expression VARCHAR,
        observed DOUBLE,
        expected DOUBLE,
        baseline_session_id VARCHAR,
        verdict VARCHAR,
        passed BOOLEAN,
        message VARCHAR,
        seq INTEGER
      )`,
    ],
  },
  {
    version: 3,
    description: 'spans.input_key and spans.trial (which input a call saw, and its trial); runs.error',
    statements: [
      // input_key: a hash of the task's label and its canonical inputs, or the task's `key` option; trial:
      // the 0-based trial of a call that repeats an input (`many`, `trials`). runs.error: an error outside
      // any test (an import-time throw, an unhandled rejection, a failing suite hook).
      'ALTER TABLE spans ADD COLUMN input_key VARCHAR',
      'ALTER TABLE spans ADD COLUMN trial INTEGER',
      'ALTER TABLE runs ADD COLUMN error VARCHAR',
    ],
  },
  {
    version: 4,
    description: 'metric_points, metric_inputs and metric_stats views; statistical figures of gates',
    // A getter: the views carry a table of t quantiles computed when the migration runs.
    get statements(): readonly string[] {
      return [
        ...metricStatsViewStatements(),
        // estimate: the mean difference (no regression) or the mean (ci_low, ci_high, pass_at, pass_all);
        // ci_low/ci_high: its interval at ci_level; p_value: one-sided, of no regression; mde: minimum
        // detectable effect; n_inputs: inputs the figures are over; n_needed/trials_needed: inputs (or
        // trials per input) that would detect the margin; method: paired t, McNemar, Welch, t or Wilson.
        'ALTER TABLE gates ADD COLUMN estimate DOUBLE',
        'ALTER TABLE gates ADD COLUMN ci_low DOUBLE',
        'ALTER TABLE gates ADD COLUMN ci_high DOUBLE',
        'ALTER TABLE gates ADD COLUMN ci_level DOUBLE',
        'ALTER TABLE gates ADD COLUMN p_value DOUBLE',
        'ALTER TABLE gates ADD COLUMN mde DOUBLE',
        'ALTER TABLE gates ADD COLUMN n_inputs INTEGER',
        'ALTER TABLE gates ADD COLUMN n_needed INTEGER',
        'ALTER TABLE gates ADD COLUMN trials_needed INTEGER',
        'ALTER TABLE gates ADD COLUMN method VARCHAR',
      ]
    },
  },
  {
    version: 5,
    description:
      'what a session was asked to run: sessions.partial, selection, gate_config; session_files (Vitest fidelity)',
    statements: [
      // partial: the session ran a subset of the eval files (file filters, -t, --changed, related, --project,
      // --shard, a watch-mode rerun); selection: why, as JSON ({ reasons, testNamePattern, shard, watchRerun,
      // projectFilter }); gate_config: the thresholds and gate options of each project, as JSON
      // ([{ project, thresholds, baseline, strict }]), so the session's gates can be evaluated again without
      // a vitest config.
      'ALTER TABLE sessions ADD COLUMN partial BOOLEAN',
      'ALTER TABLE sessions ADD COLUMN selection JSON',
      'ALTER TABLE sessions ADD COLUMN gate_config JSON',
      // One row per eval file of each recording project, and whether this session was asked to run it.
      `CREATE TABLE session_files (
        session_id VARCHAR,
        project VARCHAR,
        name VARCHAR,
        file VARCHAR,
        selected BOOLEAN
      )`,
    ],
  },
  {
    version: 6,
    description:
      'sessions.seq: the order sessions were recorded in, so latest and previous never trust a clock; latest_runs by it',
    statements: [
      // seq: 1 for the first session recorded into the file, then one more for each session row inserted
      // (a session's row is inserted when it ends; a session another one finished gets its number then).
      'ALTER TABLE sessions ADD COLUMN seq BIGINT',
      `UPDATE sessions SET seq = ordered.n FROM (
        SELECT session_id, row_number() OVER (ORDER BY started_at NULLS FIRST, session_id) AS n FROM sessions
      ) ordered WHERE sessions.session_id = ordered.session_id`,
      // A run whose session has no row yet (the session being recorded) is the newest of its file.
      `CREATE OR REPLACE VIEW latest_runs AS
        SELECT r.* FROM runs r LEFT JOIN sessions s ON s.session_id = r.session_id
        QUALIFY row_number() OVER (
          PARTITION BY r.project, r.name ORDER BY s.seq DESC NULLS FIRST, r.started_at DESC, r.run_id
        ) = 1`,
    ],
  },
  {
    version: 7,
    description:
      'sessions.otlp_exported_spans and sessions.otlp_dropped_spans (what OTLP export sent and lost)',
    statements: [
      // NULL when the session did not export; dropped counts spans the collector never got (queue full,
      // export failed, or given up for the session after the first failure) — all of them are in DuckDB.
      'ALTER TABLE sessions ADD COLUMN otlp_exported_spans BIGINT',
      'ALTER TABLE sessions ADD COLUMN otlp_dropped_spans BIGINT',
    ],
  },
  {
    version: 8,
    description:
      'shards: sessions.shard_index, shard_count, session_group; runs.shard_index; merged_shards (strikes merge)',
    statements: [
      // A session run with `vitest --shard=i/n` stores i and n, and its group (the CI run its shards belong
      // to); a merged session has shard_count and session_group but no shard_index. runs.shard_index: the
      // shard that recorded the run (kept through a merge).
      'ALTER TABLE sessions ADD COLUMN shard_index INTEGER',
      'ALTER TABLE sessions ADD COLUMN shard_count INTEGER',
      'ALTER TABLE sessions ADD COLUMN session_group VARCHAR',
      'ALTER TABLE runs ADD COLUMN shard_index INTEGER',
      // One row per source session `strikes merge` imported: merging the same file again adds nothing, and
      // two shards claiming one index with different data are refused.
      `CREATE TABLE merged_shards (
        session_id VARCHAR,
        source_session_id VARCHAR,
        session_group VARCHAR,
        shard_index INTEGER,
        shard_count INTEGER,
        fingerprint VARCHAR,
        source_file VARCHAR,
        merged_at TIMESTAMP
      )`,
    ],
  },
]

/** The schema version this package writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0
