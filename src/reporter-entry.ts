/**
 * The package's default export, so that `vitest --reporter=strikes` resolves: a thin reporter that, when
 * Vitest starts it in its main process, loads the main-process side of strikes (the recorder, and
 * Vitest's default reporter when strikes is the only one) and hands each of them every reporter hook.
 * Importing `strikes` in a test worker loads none of it.
 */
import type { Reporter, Vitest } from 'vitest/node'
import { loadMainProcess } from './main-process.js'
import { STRIKES_REPORTER_MARK } from './shared/reporter-mark.js'
import type { StrikesOptions } from './shared/strikes-options.js'

/** Every hook of Vitest's `Reporter` interface (the type check below keeps the list complete). */
const HOOKS = [
  'onBrowserInit',
  'onCoverage',
  'onHookEnd',
  'onHookStart',
  'onProcessTimeout',
  'onServerRestart',
  'onTestCaseAnnotate',
  'onTestCaseArtifactRecord',
  'onTestCaseReady',
  'onTestCaseResult',
  'onTestModuleCollected',
  'onTestModuleEnd',
  'onTestModuleQueued',
  'onTestModuleStart',
  'onTestRemoved',
  'onTestRunEnd',
  'onTestRunStart',
  'onTestSuiteReady',
  'onTestSuiteResult',
  'onUserConsoleLog',
  'onWatcherRerun',
  'onWatcherStart',
] as const satisfies readonly (keyof Reporter)[]

type Forwarded = (typeof HOOKS)[number]
/** Fails to compile when Vitest's `Reporter` gains a hook this list does not forward. */
const complete: [Exclude<keyof Reporter, Forwarded | 'onInit'>] extends [never] ? true : never = true

/** The hooks the reporter forwards, defined on its prototype below. */
// biome-ignore lint/correctness/noUnusedVariables: merged into the class below, which defines these methods in its static block
interface StrikesReporter extends Pick<Required<Reporter>, Forwarded> {}

/** The strikes Vitest reporter: options given here are used when the plugin is not in the config. */
// biome-ignore lint/suspicious/noUnsafeDeclarationMerging: see the interface above
class StrikesReporter implements Reporter {
  /** Marks strikes' reporter in a reporter list (see `reporter/vitest/reporter-list.ts`). */
  readonly [STRIKES_REPORTER_MARK] = true
  readonly #options: StrikesOptions | undefined
  /** The reporters hooks go to, in order: Vitest's default output (when strikes is alone), then strikes'. */
  #targets: Reporter[] = []

  constructor(options?: StrikesOptions) {
    this.#options = options
  }

  async onInit(vitest: Vitest): Promise<void> {
    const { createReporters } = await loadMainProcess()
    this.#targets = await createReporters(vitest, this.#options, this)
    for (const target of this.#targets) await target.onInit?.(vitest)
  }

  static {
    for (const hook of HOOKS) {
      Object.defineProperty(StrikesReporter.prototype, hook, {
        async value(this: StrikesReporter, ...args: never[]): Promise<void> {
          for (const target of this.#targets) {
            const forward = target[hook] as ((...given: never[]) => unknown) | undefined
            await forward?.apply(target, args)
          }
        },
        writable: true,
        configurable: true,
      })
    }
  }
}

void complete

export default StrikesReporter
