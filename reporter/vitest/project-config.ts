/**
 * What strikes adds to a Vitest project that runs eval files: the `.eval.*` include, the same globs in
 * coverage's exclude (eval files are tests, not covered source), and — when recording — the worker setup
 * file and strikes' test runner. Shared by the plugin and by the reporter when it runs without the plugin.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TestProject, Vitest } from 'vitest/node'

/** Absolute path of a built module of strikes (`.js`), else its `.ts` source (when run from sources). */
export function ownModulePath(relativeToPackage: string): string {
  const built = fileURLToPath(new URL(`../../${relativeToPackage}.js`, import.meta.url))
  return existsSync(built) ? built : fileURLToPath(new URL(`../../${relativeToPackage}.ts`, import.meta.url))
}

/** The worker setup file. */
function setupFilePath(): string {
  return ownModulePath('src/vitest/setup')
}

/** Strikes' test runner (Vitest's runner with runs per file and test spans). */
function runnerPath(): string {
  return ownModulePath('src/vitest/runner')
}

/** What a project is given. */
export interface ProjectRecording {
  readonly include: readonly string[]
  /** False when recording is off (`enabled: false`, `STRIKES=0`): eval files run as plain tests. */
  readonly enabled: boolean
}

/**
 * Adds the include globs (and, when recording, the setup file and strikes' runner unless the project has
 * a runner of its own) to a project's resolved config, once. Throws one line when the project's own
 * runner cannot record every file (isolation off), rather than dropping runs.
 */
export function applyToProject(vitest: Vitest, project: TestProject, recording: ProjectRecording): void {
  const config = project.config
  // New arrays, never pushed into: a resolved config may share its arrays with Vitest's defaults and other projects.
  config.include = union(config.include, recording.include)
  const coverage = vitest.config.coverage
  coverage.exclude = union(coverage.exclude ?? [], recording.include)
  if (!recording.enabled) return
  const runner = runnerPath()
  if (config.runner === undefined || config.runner === '') config.runner = runner
  if (config.runner !== runner && config.isolate === false) {
    throw startupError(
      `strikes: project "${project.name || 'root'}" uses its own test runner (${config.runner}) with isolation off ` +
        `(isolate: false, --no-isolate, vmThreads or vmForks), where strikes can record only the first eval file of each ` +
        'worker; turn isolation on for it, or let strikes install its runner (remove `runner`)',
    )
  }
  config.setupFiles = union(config.setupFiles, [setupFilePath()])
}

/** `base` followed by the items of `added` it lacks, as a new array. */
function union(base: readonly string[], added: readonly string[]): string[] {
  return [...base, ...added.filter((item) => !base.includes(item))]
}

/** An error Vitest prints as its one-line message (no stack: the message says everything). */
export function startupError(message: string): Error {
  const error = new Error(message)
  error.stack = message
  return error
}
