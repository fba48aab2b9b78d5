/**
 * What strikes adds to a Vitest project: the `.eval.*` include and the worker setup file. Shared by the
 * plugin and by the reporter when it runs without the plugin.
 */
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { TestProject } from 'vitest/node'

/** Absolute path of the worker setup file (the built `.js`, or the `.ts` source when running from source). */
export function setupFilePath(): string {
  const built = fileURLToPath(new URL('./setup.js', import.meta.url))
  return existsSync(built) ? built : fileURLToPath(new URL('./setup.ts', import.meta.url))
}

/** Absolute path of strikes' test runner (Vitest's runner with test spans). */
export function runnerPath(): string {
  const built = fileURLToPath(new URL('./runner.js', import.meta.url))
  return existsSync(built) ? built : fileURLToPath(new URL('./runner.ts', import.meta.url))
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
