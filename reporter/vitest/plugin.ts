/**
 * `strikes(options)`: the Vitest plugin. It validates the options, adds the `.eval.*` include, the worker
 * setup file and strikes' test runner to the project it is configured in (one project per plugin; see
 * `plugin-registry.ts`), adds the strikes reporter when the reporters lack it — so the plugin alone
 * records, and Vitest's own output stays — and does nothing at all under `vitest bench`.
 */
/// <reference types="vitest/config" />
import type { Plugin } from 'vite'
import type { Vitest } from 'vitest/node'
import { resolveOptions, type StrikesOptions } from './options.js'
import { declarePlugin, registerPlugin } from './plugin-registry.js'
import { hasStrikesReporter, reporterEntryPath } from './reporter-list.js'

export type { StrikesOptions } from './options.js'

/** The strikes Vitest plugin; options are validated at once (a wrong option throws, naming it). */
export function strikes(options: StrikesOptions = {}): Plugin {
  const resolved = resolveOptions(options)
  declarePlugin()
  const identity = {}
  return {
    name: 'strikes',
    config(config, env) {
      // The root config's reporters (a project's own are ignored by Vitest, and CLI reporters replace
      // these: `configureVitest` below sees the final list). Vite concatenates the arrays.
      if (!resolved.enabled || env.mode === 'benchmark') return
      const given = config.test?.reporters
      const reporters = given === undefined ? [] : [given].flat()
      if (hasStrikesReporter(reporters)) return
      return { test: { reporters: [...(given === undefined ? ['default'] : []), reporterEntryPath()] } }
    },
    configureVitest({ vitest, project }) {
      if (vitest.config.mode === 'benchmark') return
      if (resolved.enabled) addReporter(vitest)
      return registerPlugin(vitest, project, identity, resolved)
    },
  }
}

/** Adds the strikes reporter to Vitest's reporters (before they are created) when it is not there. */
function addReporter(vitest: Vitest): void {
  const reporters = vitest.config.reporters
  if (!hasStrikesReporter(reporters)) reporters.push([reporterEntryPath(), {}])
}

export default strikes
