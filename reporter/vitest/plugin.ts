/**
 * `strikes(options)`: the Vitest plugin. It validates the options, adds the `.eval.*` include and the
 * worker setup file to every project, and hands the options to the strikes reporter.
 */
/// <reference types="vitest/config" />
import type { Plugin } from 'vite'
import type { Vitest } from 'vitest/node'
import { type ResolvedStrikesOptions, resolveOptions, type StrikesOptions } from './options.js'
import { applyToProject } from './project-config.js'

export type { StrikesOptions } from './options.js'

const REGISTRY = Symbol.for('strikes.plugin-options.v1')

type GlobalWithRegistry = typeof globalThis & { [REGISTRY]?: WeakMap<Vitest, ResolvedStrikesOptions> }

function registry(): WeakMap<Vitest, ResolvedStrikesOptions> {
  const scope = globalThis as GlobalWithRegistry
  scope[REGISTRY] ??= new WeakMap()
  return scope[REGISTRY]
}

/** The options the plugin registered for a Vitest instance, if the plugin is in use. */
export function pluginOptionsFor(vitest: Vitest): ResolvedStrikesOptions | undefined {
  return registry().get(vitest)
}

/** The strikes Vitest plugin; options are validated at once (a wrong option throws, naming it). */
export function strikes(options: StrikesOptions = {}): Plugin {
  const resolved = resolveOptions(options)
  return {
    name: 'strikes',
    configureVitest({ vitest, project }) {
      applyToProject(project, resolved.include)
      registry().set(vitest, resolved)
    },
  }
}

export default strikes
