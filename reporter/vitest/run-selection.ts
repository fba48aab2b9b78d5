/**
 * What a `vitest` run asks a database's projects to run: every eval file of each recording project (its
 * test files matching the strikes include), which of them Vitest selected (`onTestRunStart`), and so
 * whether the session is partial and why — file filters, `-t`, `--changed`, `vitest related`,
 * `--project`, `--shard`, a tag filter, or a watch-mode rerun. Also which files two projects of one
 * database share (their run names carry the project's name).
 */
import type { TestSpecification, Vitest } from 'vitest/node'
import { isRunFile, runName } from '../../src/shared/run-files.js'
import type { SelectionFacts, SessionSelection } from '../session/session-selection.js'
import type { SessionFileRow } from '../store/sessions.js'
import type { RecordingProject, RecordingTarget } from './recording-plan.js'

/** What a database's projects run in one session. */
export interface TargetSelection {
  readonly selection: SessionSelection
  /** Per project: its eval files that another project of the database also runs. */
  readonly qualifiedFiles: ReadonlyMap<RecordingProject, readonly string[]>
  /** How many eval files were selected in all. */
  readonly selectedCount: number
}

/** Works out what the specifications select of a database's eval files, and whether that is all of them. */
export async function selectRuns(
  vitest: Vitest,
  target: RecordingTarget,
  specifications: ReadonlyArray<TestSpecification>,
  watchRerun: boolean,
): Promise<TargetSelection> {
  const all = new Map<RecordingProject, string[]>()
  const projectsOf = new Map<string, number>()
  for (const recording of target.projects) {
    const globbed = await recording.project.globTestFiles()
    const files = globbed.testFiles.filter((file) => isEvalFile(recording, file))
    all.set(recording, files)
    for (const file of files) projectsOf.set(file, (projectsOf.get(file) ?? 0) + 1)
  }
  const qualifiedFiles = new Map<RecordingProject, string[]>()
  const files: SessionFileRow[] = []
  let selectedCount = 0
  let subset = false
  for (const recording of target.projects) {
    const selected = new Set(
      specifications
        .filter((spec) => spec.project === recording.project && isEvalFile(recording, spec.moduleId))
        .map((spec) => spec.moduleId),
    )
    const known = all.get(recording) ?? []
    for (const file of selected) if (!known.includes(file)) known.push(file)
    const qualified = known.filter((file) => (projectsOf.get(file) ?? 0) > 1)
    qualifiedFiles.set(recording, qualified)
    const naming = {
      root: vitest.config.root,
      vitestProject: recording.project.name,
      qualifiedFiles: qualified,
    }
    for (const file of known) {
      const isSelected = selected.has(file)
      if (!isSelected) subset = true
      files.push({ project: recording.runProject, name: runName(naming, file), file, selected: isSelected })
    }
    selectedCount += selected.size
  }
  const facts = selectionFacts(vitest, subset, watchRerun)
  const partial = subset || facts.testNamePattern !== null || facts.reasons.length > 0
  return { selection: { partial, facts, files }, qualifiedFiles, selectedCount }
}

function isEvalFile(recording: RecordingProject, file: string): boolean {
  return isRunFile({ projectRoot: recording.root, includePattern: recording.includePattern }, file)
}

/** Why a session runs a subset: the filters Vitest ran with. */
function selectionFacts(vitest: Vitest, subset: boolean, watchRerun: boolean): SelectionFacts {
  const config = vitest.config
  const reasons: string[] = []
  const pattern = vitest.getGlobalTestNamePattern()
  const shard = config.shard === undefined ? null : { index: config.shard.index, count: config.shard.count }
  if (shard !== null) reasons.push(`--shard=${shard.index}/${shard.count}`)
  if (pattern !== undefined) reasons.push(`-t ${JSON.stringify(pattern.source)}`)
  if ((config.tagsFilter?.length ?? 0) > 0) reasons.push(`tag filter ${config.tagsFilter?.join(' ')}`)
  if (config.project.length > 0) reasons.push(`--project ${config.project.join(', ')}`)
  if (subset) {
    if (config.changed !== undefined && config.changed !== false) reasons.push('--changed')
    else if ((config.related?.length ?? 0) > 0) reasons.push('vitest related')
    else if (watchRerun) reasons.push('watch-mode rerun')
    else if (config.typecheck.only) reasons.push('--typecheck.only')
    else if (shard === null) reasons.push('file filter')
  }
  return {
    reasons,
    testNamePattern: pattern === undefined ? null : pattern.source,
    shard,
    watchRerun,
    projectFilter: [...config.project],
  }
}
