/**
 * A task returning 200 MB under Vitest is recorded exactly as in a plain `withRun` script: the same
 * stored preview, full size and content hash (the hash of the whole JSON text), with the value escaped
 * and hashed piece by piece rather than copied whole. What it costs in time and memory, under Vitest and
 * in `withRun`, is measured by `bench/large-values.ts` (see bench/RESULTS.md).
 */
import { createHash } from 'node:crypto'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { fixtureProject, query, runNode } from '../helpers/fixture-project.js'

const MB = 200
const LENGTH = MB * 1024 * 1024

/** The sha1 of the JSON text of `'x'.repeat(LENGTH - 1) + '7'`, computed in pieces. */
function expectedHash(): string {
  const hash = createHash('sha1').update('"')
  const piece = 'x'.repeat(1024 * 1024)
  let left = LENGTH - 1
  while (left > 0) {
    const size = Math.min(left, piece.length)
    hash.update(size === piece.length ? piece : piece.slice(0, size))
    left -= size
  }
  return hash.update('7"').digest('hex')
}

interface StoredOutput {
  hash: string
  size_bytes: number
  truncated: boolean
  preview: string
}

const OUTPUT = `SELECT io.hash, o.size_bytes::DOUBLE AS size_bytes, o.truncated, o.value::VARCHAR AS preview
  FROM task_io io JOIN objects o USING (run_id, hash) WHERE io.direction = 'output'`

test('a 200 MB output is stored the same under vitest as in withRun: a preview, its full size and the hash of the whole', {
  timeout: 600_000,
}, async () => {
  const project = fixtureProject('reliability-large')
  const env = { LARGE_MB: String(MB) }
  const vitest = await project.vitest(['--reporter=strikes'], { env, timeoutMs: 300_000 })
  expect(vitest.code, vitest.stdout + vitest.stderr).toBe(0)
  const script = await runNode(['script.mjs'], project.dir, { env, timeoutMs: 300_000 })
  expect(script.code, script.stdout + script.stderr).toBe(0)

  const [underVitest] = await query<StoredOutput>(project.db, OUTPUT)
  const [inWithRun] = await query<StoredOutput>(join(project.dir, 'script.duckdb'), OUTPUT)
  expect(underVitest).toMatchObject({ hash: expectedHash(), size_bytes: LENGTH + 2, truncated: true })
  expect(underVitest?.preview.length).toBeLessThan(1024 * 1024 + 1024)
  expect(underVitest?.preview).toContain('x'.repeat(1000))
  expect(inWithRun).toEqual(underVitest)
})
