/**
 * The session's end does not lose a step to DuckDB's lowered memory limit: DuckDB's own out-of-memory
 * errors are recognised (also wrapped, as the report wraps them), a step that meets one runs again on one
 * thread with the thread count put back after, and nothing else is retried.
 */
import { mkdirSync, mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { isOutOfMemory, retryOnOneThread } from '../../reporter/store/memory-fallback.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'

function scratchDb(): string {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  return join(mkdtempSync(join(REPO_ROOT, 'test/.tmp/memory-fallback-')), 'strikes.duckdb')
}

describe('memory fallback of the session end', () => {
  test("DuckDB's out-of-memory error is recognised, also as the cause of another error; other errors are not", async () => {
    const database = await openDatabase(scratchDb(), { lockConfiguration: false })
    try {
      await database.run("SET memory_limit = '8MB'")
      const error = await database
        .query("SELECT string_agg(repeat('x', 100) || i::VARCHAR, ',') FROM range(2000000) t(i)")
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        )
      expect(error).toBeInstanceOf(Error)
      expect(isOutOfMemory(error)).toBe(true)
      expect(isOutOfMemory(new Error('strikes: could not render the report', { cause: error }))).toBe(true)
      expect(isOutOfMemory(new Error('Binder Error: column "x" not found'))).toBe(false)
    } finally {
      database.close()
    }
  })

  test('a step out of memory runs again on one thread, and the thread count is put back', async () => {
    const database = await openDatabase(scratchDb(), { lockConfiguration: false })
    try {
      await database.run('SET threads = 2')
      const threadsSeen: number[] = []
      const result = await retryOnOneThread(database, async () => {
        const [row] = await database.query<{ threads: bigint }>(
          "SELECT current_setting('threads') AS threads",
        )
        threadsSeen.push(Number(row?.threads))
        if (threadsSeen.length === 1)
          throw new Error('Out of Memory Error: could not allocate block of size 256.0 KiB')
        return 'rendered'
      })
      expect(result).toBe('rendered')
      expect(threadsSeen).toEqual([2, 1])
      const [after] = await database.query<{ threads: bigint }>(
        "SELECT current_setting('threads') AS threads",
      )
      expect(Number(after?.threads)).toBe(2)
    } finally {
      database.close()
    }
  })

  test('other errors, and any error on a locked connection, are not retried', async () => {
    const locked = await openDatabase(scratchDb())
    try {
      let calls = 0
      const outOfMemory = retryOnOneThread(locked, async () => {
        calls += 1
        throw new Error('Out of Memory Error: failed to pin block')
      })
      await expect(outOfMemory).rejects.toThrow(/Out of Memory/)
      const other = retryOnOneThread(locked, async () => {
        calls += 1
        throw new Error('Binder Error')
      })
      await expect(other).rejects.toThrow(/Binder Error/)
      expect(calls).toBe(2)
    } finally {
      locked.close()
    }
  })
})
