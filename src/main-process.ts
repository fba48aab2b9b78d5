/**
 * The one door from the SDK to main-process code: the reporter Vitest starts in its main process (the
 * package's default export hands over to it), and the store a `withRun` script records into. Both are
 * loaded on demand through the package's own `strikes/reporter` entry, never when an eval file imports
 * `strikes`; nothing else in `src/` reaches `reporter/`.
 */
import {
  type GlobalWithMainProcessLoader,
  type MainProcessEntry,
  NATIVE_MAIN_PROCESS_LOADER,
} from './shared/main-process-entry.js'

/** The package entry holding the main-process code (a variable, so bundlers and type checkers leave it to run time). */
const MAIN_PROCESS_ENTRY = 'strikes/reporter'

/** Loads the main-process side of strikes. */
export async function loadMainProcess(): Promise<MainProcessEntry> {
  const loaded = (await import(MAIN_PROCESS_ENTRY)) as Partial<MainProcessEntry>
  if (typeof loaded.createReporters === 'function') return loaded as MainProcessEntry
  // `vitest --merge-reports` restores the shards' module graph into Vite's module runner, where this entry
  // then counts as loaded already and comes back empty: load it as the plugin (loaded by Node) does.
  const native = (globalThis as GlobalWithMainProcessLoader)[NATIVE_MAIN_PROCESS_LOADER]
  if (native !== undefined) return native()
  throw new Error(
    "strikes: Vite's module runner gave an empty strikes/reporter (vitest --merge-reports restores the " +
      'module graph of the blob reports); add the strikes() plugin to the Vitest config, ' +
      'or run strikes merge',
  )
}
