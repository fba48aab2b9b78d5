/**
 * Where each project's runs are recorded: the projects that record evals (with the plugin, each with its
 * own options; without it, every project with the reporter's options), grouped by database. Each database
 * gets one writer, kept across watch-mode sessions, and one session per `vitest` run.
 */
import { basename, isAbsolute, resolve } from 'node:path'
import type { TestProject, Vitest } from 'vitest/node'
import type { IncludePattern } from '../../src/shared/worker-config.js'
import { gateConfigOf, type SessionGateConfig } from '../gate/gate-config.js'
import { packageNameAt } from '../package-info.js'
import { IngestQueue } from '../store/ingest-queue.js'
import { includePattern } from './include-pattern.js'
import { type ResolvedStrikesOptions, resolveOptions } from './options.js'
import { pluginApplies, pluginDeclared, recordingProjects } from './plugin-registry.js'
import { applyToProject } from './project-config.js'

/** One Vitest project that records its eval files. */
export interface RecordingProject {
  readonly project: TestProject
  readonly options: ResolvedStrikesOptions
  /** `runs.project` of its runs: the `project` option, else the project's (or root's) package.json name. */
  readonly runProject: string
  /** Relative `db`, `report` and `junit` paths are resolved against it: the Vitest project's root. */
  readonly root: string
  /** Its `include` globs compiled once (what workers and run selection test files with). */
  readonly includePattern: IncludePattern
}

/** The projects recording into one database. */
export interface RecordingTarget {
  readonly dbPath: string
  readonly queue: IngestQueue
  readonly projects: readonly RecordingProject[]
}

/** Where strikes records in this Vitest instance, and a line to print when that is nowhere. */
export interface RecordingPlan {
  readonly targets: readonly RecordingTarget[]
  readonly note: string | undefined
}

/**
 * Plans recording for a Vitest instance: the plugin's projects when a plugin applies; none (with a note
 * saying why) when a plugin exists but applies to no selected project; else every project, with the
 * options given to `--reporter=strikes` (which are validated here).
 */
export function planRecording(vitest: Vitest, reporterOptions: unknown): RecordingPlan {
  let chosen: ReadonlyMap<TestProject, ResolvedStrikesOptions>
  let note: string | undefined
  if (pluginApplies(vitest)) {
    chosen = recordingProjects(vitest)
    if (chosen.size === 0)
      note = 'strikes: recording is off (enabled: false or STRIKES=0); nothing is recorded'
  } else if (pluginDeclared()) {
    chosen = new Map()
    note =
      vitest.config.project.length > 0
        ? `strikes: no selected project (--project ${vitest.config.project.join(', ')}) has the strikes plugin; nothing is recorded`
        : 'strikes: the strikes plugin applies to no project — projects inherit the root config’s plugins only with ' +
          '`extends: true`; add strikes() to the projects that hold eval files; nothing is recorded'
  } else {
    const options = resolveOptions(reporterOptions ?? {})
    for (const project of vitest.projects) applyToProject(vitest, project, options)
    chosen = new Map(options.enabled ? vitest.projects.map((project) => [project, options] as const) : [])
    if (!options.enabled) note = 'strikes: recording is off (STRIKES=0); nothing is recorded'
  }
  const byDatabase = new Map<string, RecordingProject[]>()
  for (const [project, options] of chosen) {
    const root = project.config.root
    const dbPath = isAbsolute(options.db) ? options.db : resolve(root, options.db)
    const runProject =
      options.project ?? packageNameAt(root) ?? packageNameAt(vitest.config.root) ?? basename(root)
    const list = byDatabase.get(dbPath) ?? []
    list.push({ project, options, runProject, root, includePattern: includePattern(options.include) })
    byDatabase.set(dbPath, list)
  }
  const targets = [...byDatabase].map(([dbPath, projects]) => ({
    dbPath,
    projects,
    queue: new IngestQueue(dbPath, Math.max(...projects.map((entry) => entry.options.lockTimeoutMs))),
  }))
  return { targets, note }
}

/** The gate configuration of a database's projects (one per `runs.project`; thresholds of equal ones merged). */
export function gateConfigsOf(target: RecordingTarget): SessionGateConfig[] {
  const byProject = new Map<string, SessionGateConfig>()
  for (const { options, runProject } of target.projects) {
    const own = gateConfigOf(runProject, options)
    const earlier = byProject.get(runProject)
    if (earlier === undefined) {
      byProject.set(runProject, own)
      continue
    }
    const thresholds: Record<string, string[]> = {}
    for (const source of [earlier.thresholds, own.thresholds]) {
      for (const [key, expressions] of Object.entries(source)) {
        const merged = thresholds[key] ?? []
        for (const expression of expressions) if (!merged.includes(expression)) merged.push(expression)
        thresholds[key] = merged
      }
    }
    byProject.set(runProject, {
      project: runProject,
      thresholds,
      baseline: earlier.baseline ?? own.baseline,
      strict: earlier.strict || own.strict,
    })
  }
  return [...byProject.values()]
}
