/**
 * Sessions of the `report-hostile` fixture project recorded by the real `vitest` binary: model outputs,
 * names and errors full of markup. Round 2 lowers the quality scores, so its report shows a regression.
 */
import { join } from 'node:path'
import { renderReportFile } from '../../reporter/report/render-report-file.js'
import type { ReportOptions } from '../../reporter/report/report-options.js'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

/** The fixture's report options, as its `vitest.config.ts` sets them. */
export const HOSTILE_OPTIONS: ReportOptions = { topN: 3, rankBy: { summarize: 'brevity' } }

/** A recorded fixture project and its session ids, oldest first. */
export interface HostileSessions {
  readonly project: FixtureProject
  readonly sessionIds: readonly string[]
  /** Renders a session's report (default: the latest) into the project; returns the path. */
  render(file: string, sessionId?: string, options?: ReportOptions): Promise<string>
}

/** Runs the fixture `rounds` times (one session each). */
export async function recordHostileSessions(rounds: number): Promise<HostileSessions> {
  const project = fixtureProject('report-hostile')
  for (let round = 1; round <= rounds; round++) {
    const result = await project.vitest(['--reporter=strikes'], {
      env: { STRIKES_REPORT_ROUND: String(round) },
    })
    // The fixture fails a test on purpose; anything but a normal failing exit is a broken setup.
    if (result.code !== 1)
      throw new Error(
        `report-hostile round ${round} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
      )
  }
  const sessions = await query<{ session_id: string }>(
    project.db,
    'SELECT session_id FROM sessions ORDER BY started_at',
  )
  return {
    project,
    sessionIds: sessions.map((row) => row.session_id),
    render: (file, sessionId, options = HOSTILE_OPTIONS) =>
      renderReportFile({ db: project.db, out: join(project.dir, file), sessionId, options }),
  }
}
