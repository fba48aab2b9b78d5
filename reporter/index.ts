/**
 * `strikes/reporter`: the main-process side of strikes as the SDK reaches it (see `src/main-process.ts`)
 * — the reporters `--reporter=strikes` stands for, and the store a `withRun` script records into.
 */
import type { Reporter, Vitest } from 'vitest/node'
import type { MainProcessEntry } from '../src/shared/main-process-entry.js'
import { recordStandaloneSession } from './session/standalone.js'
import { planRecording } from './vitest/recording-plan.js'
import { isStrikesReporter } from './vitest/reporter-list.js'
import { StrikesVitestReporter } from './vitest/vitest-reporter.js'

export {
  evaluateSessionGates,
  evaluateStoredSessionGates,
  storedGateConfig,
} from './gate/session-gates.js'
export { recordStandaloneSession } from './session/standalone.js'

/**
 * The reporters `--reporter=strikes` (or the plugin) stands for: strikes' recorder — with each project's
 * plugin options, else the reporter's own (validated here) — after Vitest's default reporter when strikes
 * is the only reporter configured, so Vitest's own output stays. Under `vitest bench` strikes records
 * nothing and adds nothing.
 */
export async function createReporters(vitest: Vitest, options: unknown, entry?: object): Promise<Reporter[]> {
  if (vitest.config.mode === 'benchmark') return []
  const plan = planRecording(vitest, options)
  const reporters: Reporter[] = []
  const alone = vitest.config.reporters.every(
    (configured) => configured === entry || isStrikesReporter(configured),
  )
  if (alone) {
    const { DefaultReporter } = await import('vitest/node')
    reporters.push(new DefaultReporter())
  }
  reporters.push(new StrikesVitestReporter(plan))
  return reporters
}

/** This entry provides what the SDK loads (checked when compiling). */
const provided: MainProcessEntry = { createReporters, recordStandaloneSession }
void provided
