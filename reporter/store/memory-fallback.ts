/**
 * The session's end reads the database under a lowered DuckDB memory limit (see `ingest-queue.ts`). A
 * step that runs out of memory under it (the paired statistics of a session of a million tasks did, on
 * two threads) runs once more on one thread within the same limit — each operator then holds one
 * thread's working state instead of two — rather than losing the report or the gates to it; the thread
 * count is put back after. Only on a connection whose configuration is unlocked (the reporter's);
 * elsewhere the error stands.
 */
import type { Database } from './database.js'

/** DuckDB could not stay within its memory limit (the error, or one it was caused by). */
export function isOutOfMemory(error: unknown): boolean {
  for (let cause = error, depth = 0; cause !== undefined && depth < 8; depth++) {
    if (/Out of Memory/i.test(cause instanceof Error ? cause.message : String(cause))) return true
    cause = cause instanceof Error ? cause.cause : undefined
  }
  return false
}

/** Runs `step`; when it runs out of memory, runs it once more on one DuckDB thread. */
export async function retryOnOneThread<T>(database: Database, step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    if (!isOutOfMemory(error) || database.configurationLocked) throw error
    const [setting] = await database.query<{ threads: bigint | number }>(
      "SELECT current_setting('threads') AS threads",
    )
    await database.run('SET threads = 1')
    try {
      return await step()
    } finally {
      await database.run(`SET threads = ${Math.max(1, Math.floor(Number(setting?.threads ?? 1)))}`)
    }
  }
}
