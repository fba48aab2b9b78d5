/**
 * Which test files are runs: those matching the strikes include globs (by default `*.eval.*` files).
 * Other test files in the same project run as usual and are not recorded.
 */
import { relative } from 'node:path'
import picomatch from 'picomatch'
import type { WorkerConfig } from '../shared/worker-config.js'

const matchers = new Map<string, (path: string) => boolean>()

/** True when the test file at `filepath` is recorded as a run. */
export function isRunFile(config: Pick<WorkerConfig, 'root' | 'include'>, filepath: string): boolean {
  const key = config.include.join('\0')
  let matcher = matchers.get(key)
  if (matcher === undefined) {
    matcher = picomatch([...config.include], { dot: true })
    matchers.set(key, matcher)
  }
  const path = relative(config.root, filepath).split('\\').join('/')
  return matcher(path)
}
