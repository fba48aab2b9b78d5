/**
 * Where the response cache lives: an explicit `cacheDir`, else — inside a Vitest worker recording with the
 * strikes reporter — `<db>.cache/` beside the session's DuckDB file.
 */
import { resolve } from 'node:path'
import { WORKER_CONFIG_KEY, WORKER_CONFIG_VERSION } from '../shared/worker-config.js'

/** The folder of the response cache; throws an error saying what to do when there is none. */
export async function resolveCacheDir(explicit: string | undefined): Promise<string> {
  if (explicit !== undefined) return resolve(explicit)
  const beside = await cacheDirBesideDatabase()
  if (beside !== undefined) return beside
  throw new Error(
    'strikes/ai: the response cache (cache: true) needs a folder: ' +
      'run under Vitest with the strikes reporter ' +
      '(the cache then lives beside the DuckDB file) or pass `cacheDir` to wrapModel / strikesMiddleware',
  )
}

/** `<db>.cache` when running in a Vitest worker of a strikes session, else `undefined`. */
export async function cacheDirBesideDatabase(): Promise<string | undefined> {
  if (process.env.VITEST === undefined) return undefined
  try {
    // Loaded only inside Vitest: outside it `strikes/ai` must not need Vitest.
    const { inject } = await import('vitest')
    const config = inject(WORKER_CONFIG_KEY)
    return config?.version === WORKER_CONFIG_VERSION ? `${config.dbPath}.cache` : undefined
  } catch {
    // Not a test worker (e.g. Vitest's main process): no session to put the cache beside.
    return undefined
  }
}
