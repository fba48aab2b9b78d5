/**
 * `strikes/reporter`: the main-process side of strikes as the SDK reaches it (see `src/main-process.ts`)
 * — the reporters `--reporter=strikes` stands for, and the store a `withRun` script records into.
 */
import type { Reporter, Vitest } from 'vitest/node'
import type { MainProcessEntry } from '../src/shared/main-process-entry.js'
import { recordStandaloneSession } from './session/standalone.js'
import { resolveOptions } from './vitest/options.js'
import { pluginOptionsFor } from './vitest/plugin.js'
import { applyToProject } from './vitest/project-config.js'
import { StrikesVitestReporter } from './vitest/vitest-reporter.js'

export { recordStandaloneSession } from './session/standalone.js'

/**
 * The reporters `--reporter=strikes` stands for: strikes' recorder, with the plugin's options (else the
 * reporter's own, validated here), after Vitest's default reporter when `entry` is the only reporter
 * configured, so Vitest's own output stays.
 */
export async function createReporters(vitest: Vitest, options: unknown, entry?: object): Promise<Reporter[]> {
  let resolved = pluginOptionsFor(vitest)
  if (resolved === undefined) {
    resolved = resolveOptions(options ?? {})
    for (const project of vitest.projects) applyToProject(project, resolved.include)
  }
  const reporters: Reporter[] = []
  const alone = vitest.config.reporters.every((configured) =>
    Array.isArray(configured) ? configured[0] === 'strikes' : configured === entry,
  )
  if (alone) {
    const { DefaultReporter } = await import('vitest/node')
    reporters.push(new DefaultReporter())
  }
  reporters.push(new StrikesVitestReporter(resolved))
  return reporters
}

/** This entry provides what the SDK loads (checked when compiling). */
const provided: MainProcessEntry = { createReporters, recordStandaloneSession }
void provided
