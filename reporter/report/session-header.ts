/** The session at the top of the report: when, git sha, status and gate result. */

import { countOf, formatDuration, formatTime } from '../display-format.js'
import type { Database } from '../store/database.js'
import type { SessionView, StatusClass } from './report-model.js'

/**
 * Facts about the session the caller knows better than the database (the reporter writes the session
 * row after the report); each one given overrides the stored value.
 */
export interface ReportSessionFacts {
  readonly startedAt?: Date
  readonly endedAt?: Date
  readonly status?: string
  readonly gatePassed?: boolean
  readonly gitSha?: string
}

interface SessionRowView {
  started_at: Date | null
  ended_at: Date | null
  status: string | null
  gate_passed: boolean | null
  strikes_version: string | null
  vitest_version: string | null
  git_sha: string | null
  root: string | null
}

interface Totals {
  runs: bigint | number
  first_run: Date | null
  last_run: Date | null
  tasks: bigint | number
  failed_tasks: bigint | number
}

/** The class a status is styled with. */
export function statusClass(status: string): StatusClass {
  switch (status) {
    case 'passed':
    case 'failed':
    case 'crashed':
    case 'skipped':
    case 'running':
      return status
    case 'interrupted':
      return 'crashed'
    case 'cancelled':
      return 'skipped'
    default:
      return 'other'
  }
}

/** Loads the header of a session: its row in `sessions` (when written yet), overlaid with `facts`. */
export async function loadSessionView(
  database: Database,
  sessionId: string,
  facts: ReportSessionFacts = {},
): Promise<SessionView> {
  const [row] = await database.query<SessionRowView>(
    `SELECT started_at, ended_at, status, gate_passed, strikes_version, vitest_version, git_sha, root
     FROM sessions WHERE session_id = ?`,
    [sessionId],
  )
  const [totals] = await database.query<Totals>(
    `SELECT count(DISTINCT r.run_id) AS runs, min(r.started_at) AS first_run, max(r.ended_at) AS last_run,
       (SELECT count(*) FROM spans s WHERE s.kind = 'task'
          AND s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)) AS tasks,
       (SELECT count(*) FROM spans s WHERE s.kind = 'task' AND s.status = 'error'
          AND s.run_id IN (SELECT run_id FROM runs WHERE session_id = ?)) AS failed_tasks
     FROM runs r WHERE r.session_id = ?`,
    [sessionId, sessionId, sessionId],
  )
  const startedAt = facts.startedAt ?? row?.started_at ?? totals?.first_run ?? null
  const endedAt = facts.endedAt ?? row?.ended_at ?? totals?.last_run ?? null
  const status = facts.status ?? row?.status ?? 'unknown'
  const gatePassed = facts.gatePassed ?? row?.gate_passed ?? null
  const failedTasks = Number(totals?.failed_tasks ?? 0)
  const duration =
    startedAt !== null && endedAt !== null ? formatDuration(endedAt.getTime() - startedAt.getTime()) : '—'
  return {
    id: sessionId,
    startedAt: formatTime(startedAt),
    duration,
    status,
    statusClass: statusClass(status),
    gate: gatePassed === null ? 'not evaluated' : gatePassed ? 'passed' : 'failed',
    gateClass: gatePassed === null ? 'none' : gatePassed ? 'passed' : 'failed',
    gitSha: facts.gitSha ?? row?.git_sha ?? '—',
    strikesVersion: row?.strikes_version ?? '—',
    vitestVersion: row?.vitest_version ?? '—',
    root: row?.root ?? '—',
    runCount: countOf(Number(totals?.runs ?? 0), 'run'),
    taskCount: countOf(Number(totals?.tasks ?? 0), 'task'),
    failedTaskCount: failedTasks === 0 ? 'no failed tasks' : `${countOf(failedTasks, 'failed task')}`,
  }
}
