/**
 * Which Vitest projects record evals, and with which plugin options. Every `strikes()` plugin registers
 * itself for each project Vitest configures it in. Once every project is configured (Vitest calls the
 * `configureVitest` hooks of all projects together), each project is settled on one plugin — its own
 * rather than one it inherits with `extends: true` — and one plugin records in one project only: the
 * first, in the order of `projects`, that settled on it. So an eval file never runs twice because a root
 * plugin was inherited by several projects. The state lives on `globalThis`, so the copies of this module
 * the config loader and the reporter may each load share it.
 */
import type { TestProject, Vitest } from 'vitest/node'
import type { ResolvedStrikesOptions } from './options.js'
import { applyToProject } from './project-config.js'

/** One plugin configured in one project. */
interface Registration {
  /** Identifies the `strikes()` call (a plugin inherited by several projects is one plugin). */
  readonly plugin: unknown
  readonly options: ResolvedStrikesOptions
  readonly project: TestProject
}

interface VitestRegistry {
  /** The projects of the configuration these registrations belong to (a config change restarts Vitest with new ones). */
  readonly projects: readonly TestProject[]
  readonly registrations: Registration[]
  settled: Promise<void> | undefined
  /** The projects that record (or run eval files with recording off), with their options. */
  readonly owners: Map<TestProject, ResolvedStrikesOptions>
}

interface Registry {
  /** How many `strikes()` plugins were created in this process (read by the reporter without the plugin). */
  declared: number
  readonly byVitest: WeakMap<Vitest, VitestRegistry>
}

const REGISTRY = Symbol.for('strikes.plugin-registry.v2')

type GlobalWithRegistry = typeof globalThis & { [REGISTRY]?: Registry }

function registry(): Registry {
  const scope = globalThis as GlobalWithRegistry
  scope[REGISTRY] ??= { declared: 0, byVitest: new WeakMap() }
  return scope[REGISTRY]
}

function forVitest(vitest: Vitest): VitestRegistry {
  const all = registry().byVitest
  let found = all.get(vitest)
  // A watch-mode restart after a config change resolves new projects: their plugins register afresh.
  if (found === undefined || found.projects !== vitest.projects) {
    found = { projects: vitest.projects, registrations: [], settled: undefined, owners: new Map() }
    all.set(vitest, found)
  }
  return found
}

/** Notes that a `strikes()` plugin exists in this process (its config was loaded, whatever `--project` keeps). */
export function declarePlugin(): void {
  registry().declared += 1
}

/** True when a `strikes()` plugin was created in this process. */
export function pluginDeclared(): boolean {
  return registry().declared > 0
}

/**
 * Registers a plugin for a project and returns once every project's plugins are settled (the include,
 * setup file and runner applied to the projects that own eval files).
 */
export function registerPlugin(
  vitest: Vitest,
  project: TestProject,
  plugin: unknown,
  options: ResolvedStrikesOptions,
): Promise<void> {
  const state = forVitest(vitest)
  state.registrations.push({ plugin, options, project })
  // Every project's hook is called before any of them awaits: settle once they all registered.
  state.settled ??= Promise.resolve().then(() => settle(vitest, state))
  return state.settled
}

/** The projects whose eval files strikes records, with their options; empty when no plugin applies. */
export function recordingProjects(vitest: Vitest): ReadonlyMap<TestProject, ResolvedStrikesOptions> {
  const owners = registry().byVitest.get(vitest)?.owners ?? new Map()
  return new Map([...owners].filter(([, options]) => options.enabled))
}

/** True when some project has a strikes plugin (recording or not). */
export function pluginApplies(vitest: Vitest): boolean {
  return (registry().byVitest.get(vitest)?.registrations.length ?? 0) > 0
}

function settle(vitest: Vitest, state: VitestRegistry): void {
  const projectsOf = new Map<unknown, Set<TestProject>>()
  for (const registration of state.registrations) {
    const projects = projectsOf.get(registration.plugin) ?? new Set()
    projects.add(registration.project)
    projectsOf.set(registration.plugin, projects)
  }
  const claimed = new Set<unknown>()
  for (const project of vitest.projects) {
    const candidates = state.registrations.filter((registration) => registration.project === project)
    if (candidates.length === 0) continue
    // The project's own plugin (configured in fewer projects) wins over one inherited with `extends: true`.
    let chosen = candidates[0] as Registration
    for (const candidate of candidates) {
      const spread = projectsOf.get(candidate.plugin)?.size ?? 0
      if (spread <= (projectsOf.get(chosen.plugin)?.size ?? 0)) chosen = candidate
    }
    if (claimed.has(chosen.plugin)) continue
    claimed.add(chosen.plugin)
    applyToProject(vitest, project, chosen.options)
    state.owners.set(project, chosen.options)
  }
}
