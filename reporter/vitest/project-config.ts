/**
 * What strikes adds to a Vitest project: the `.eval.*` include and the worker setup file. Shared by the
 * plugin and by the reporter when it runs without the plugin.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

/** Absolute path of a module of the worker side's Vitest integration (`src/vitest/`): built `.js`, else the `.ts` source. */
function workerModulePath(name: string): string {
  const built = fileURLToPath(new URL(`../../src/vitest/${name}.js`, import.meta.url))
  return existsSync(built) ? built : fileURLToPath(new URL(`../../src/vitest/${name}.ts`, import.meta.url))
}

/** Absolute path of the worker setup file. */
function setupFilePath(): string {
  return workerModulePath('setup')
}

/** Absolute path of strikes' test runner (Vitest's runner with test spans). */
function runnerPath(): string {
  return workerModulePath('runner')
}

/**
 * Adds the include globs and the setup file to a project's resolved config (once), and strikes' test
 * runner when the project has no runner of its own (otherwise the setup file falls back to a hook).
 */
export function applyToProject(project: TestProject, include: readonly string[]): void {
  const config = project.config
  for (const glob of include) if (!config.include.includes(glob)) config.include.push(glob)
  const setup = setupFilePath()
  if (!config.setupFiles.includes(setup)) config.setupFiles.push(setup)
  if (config.runner === undefined || config.runner === '') config.runner = runnerPath()
}
