/**
 * The one door from the SDK to main-process code: the reporter Vitest starts in its main process (the
 * package's default export hands over to it), and the store a `withRun` script records into. Both are
 * loaded on demand through the package's own `strikes/reporter` entry, never when an eval file imports
 * `strikes`; nothing else in `src/` reaches `reporter/`.
 */
import type { MainProcessEntry } from './shared/main-process-entry.js'

/** The package entry holding the main-process code (a variable, so bundlers and type checkers leave it to run time). */
const MAIN_PROCESS_ENTRY = 'strikes/reporter'

/** Loads the main-process side of strikes. */
export async function loadMainProcess(): Promise<MainProcessEntry> {
  return (await import(MAIN_PROCESS_ENTRY)) as MainProcessEntry
}
