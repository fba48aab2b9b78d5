/**
 * `strikes(options)`: the Vitest plugin. It validates the options, adds the `.eval.*` include, the worker
 * setup file and strikes' test runner to the project it is configured in (one project per plugin; see
 * `plugin-registry.ts`), adds the strikes reporter when the reporters lack it — so the plugin alone
 * records, and Vitest's own output stays — and does nothing at all under `vitest bench`.
 */
/// <reference types="vitest/config" />
import type { Plugin } from 'vite'
import type { TestProject, Vitest } from 'vitest/node'
import {
  type GlobalWithMainProcessLoader,
  NATIVE_MAIN_PROCESS_LOADER,
} from '../../src/shared/main-process-entry.js'
import { resolveOptions, type StrikesOptions } from './options.js'
import { declarePlugin, registerPlugin } from './plugin-registry.js'
import { hasStrikesReporter, reporterEntryPath } from './reporter-list.js'

export type { StrikesOptions } from './options.js'

/** The strikes Vitest plugin; options are validated at once (a wrong option throws, naming it). */
export function strikes(options: StrikesOptions = {}): Plugin {
  const resolved = resolveOptions(options)
  declarePlugin()
  // A loader of the reporter side that Vite's module runner cannot intercept (see `src/main-process.ts`).
  ;(globalThis as GlobalWithMainProcessLoader)[NATIVE_MAIN_PROCESS_LOADER] ??= () => import('../index.js')
  const fingerprint = stableJson(options)
  const instance = {}
  return {
    name: 'strikes',
    api: { strikesFingerprint: fingerprint },
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
      return registerPlugin(
        vitest,
        project,
        inheritedFromRoot(vitest, project, fingerprint) ?? instance,
        resolved,
      )
    },
  }
}

/**
 * The identity of a plugin a project inherits from the root config (`extends: true`): Vitest loads the
 * root config file again for each such project, so the same `strikes()` call makes a new plugin object
 * each time; what they share is the config file and the options.
 */
function inheritedFromRoot(vitest: Vitest, project: TestProject, fingerprint: string): string | undefined {
  const rootFile = vitest.vite.config.configFile
  if (rootFile === undefined || project.vite.config.configFile !== rootFile) return undefined
  const inRoot = vitest.vite.config.plugins.some(
    (plugin) =>
      plugin.name === 'strikes' &&
      (plugin.api as { strikesFingerprint?: unknown } | undefined)?.strikesFingerprint === fingerprint,
  )
  return inRoot ? `root:${fingerprint}` : undefined
}

/** JSON with object keys sorted, so equal options give equal text. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  )
}

/** Adds the strikes reporter to Vitest's reporters (before they are created) when it is not there. */
function addReporter(vitest: Vitest): void {
  const reporters = vitest.config.reporters
  if (!hasStrikesReporter(reporters)) reporters.push([reporterEntryPath(), {}])
}

export default strikes
