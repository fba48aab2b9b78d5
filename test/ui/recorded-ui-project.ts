/**
 * The database the UI's tests browse: the `ui` fixture project recorded by the real `vitest` twice (answers
 * of variant 0, then 1 — some inputs better, some worse), plus an older synthetic session of many tasks
 * written with SQL (for paging and sorting at a size no fixture produces quickly).
 */
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'
import { writeSyntheticUiSessions } from './synthetic-ui-session.js'

/** A recorded project and its sessions, oldest first. */
export interface RecordedUiProject {
  readonly project: FixtureProject
  readonly db: string
  /** The synthetic session (oldest). */
  readonly synthetic: string
  /** The first and second real sessions. */
  readonly first: string
  readonly second: string
  /** Tasks in the synthetic session. */
  readonly syntheticTasks: number
}

/** Records the `ui` fixture `variants.length` times (one session each) after a synthetic session. */
export async function recordUiProject(
  syntheticTasks = 6_000,
  variants: readonly number[] = [0, 1],
): Promise<RecordedUiProject> {
  const project = fixtureProject('ui')
  await writeSyntheticUiSessions(project.db, [
    { id: 'synthetic-0001', tasks: syntheticTasks, startedAt: new Date('2020-01-01T00:00:00Z') },
  ])
  for (const variant of variants) await recordSession(project, variant)
  const sessions = await query<{ session_id: string }>(
    project.db,
    "SELECT session_id FROM sessions WHERE session_id <> 'synthetic-0001' ORDER BY started_at",
  )
  return {
    project,
    db: project.db,
    synthetic: 'synthetic-0001',
    first: sessions[0]?.session_id ?? '',
    second: sessions[1]?.session_id ?? '',
    syntheticTasks,
  }
}

/** Runs the fixture's evals once more with answers of `variant`: one more session. */
export async function recordSession(project: FixtureProject, variant: number): Promise<void> {
  const result = await project.vitest(['--reporter=strikes'], { env: { UI_VARIANT: String(variant) } })
  if (result.code !== 0)
    throw new Error(`recording the ui fixture failed:\n${result.stdout}\n${result.stderr}`)
}
