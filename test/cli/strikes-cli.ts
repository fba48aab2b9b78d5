/** Running the built `strikes` CLI (`node dist/reporter/cli/main.js`) and a project with two recorded sessions for it to read. */
import { join } from 'node:path'
import {
  type FixtureProject,
  fixtureProject,
  query,
  REPO_ROOT,
  type RunResult,
  runNode,
} from '../helpers/fixture-project.js'

/** The built CLI entry point. */
export const CLI = join(REPO_ROOT, 'dist/reporter/cli/main.js')

/** Runs `strikes <args>` in `cwd`. */
export function strikes(args: readonly string[], cwd: string = REPO_ROOT): Promise<RunResult> {
  return runNode([CLI, ...args], cwd, { timeoutMs: 60_000 })
}

/** The `gates` fixture recorded twice: session `first` (quality 0.9, 0.8, 1) then `second` (0.9, 0.6, 0.9 — worse). */
export interface RecordedProject {
  readonly project: FixtureProject
  readonly first: string
  readonly second: string
}

/** Records the `gates` fixture project twice with no thresholds (the CLI does the gating). */
export async function recordedProject(options: { logInputs?: boolean } = {}): Promise<RecordedProject> {
  const project = fixtureProject('gates')
  const logInputs = options.logInputs === false ? '0' : '1'
  for (const scores of ['0.9,0.8,1', '0.9,0.6,0.9']) {
    const result = await project.vitest(['--reporter=strikes'], {
      env: { GATES_SCORES: scores, GATES_LOG_INPUTS: logInputs },
    })
    if (result.code !== 0)
      throw new Error(`recording the gates fixture failed:\n${result.stdout}\n${result.stderr}`)
  }
  const sessions = await query<{ session_id: string }>(
    project.db,
    'SELECT session_id FROM sessions ORDER BY started_at',
  )
  const [first, second] = sessions.map((row) => row.session_id)
  if (first === undefined || second === undefined) throw new Error('expected two sessions')
  return { project, first, second }
}

/** The non-empty lines of a stream. */
export function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '')
}
