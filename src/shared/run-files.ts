/**
 * Which test files are runs — those matching the strikes include globs (by default `*.eval.*` files) —
 * and what each run is named: its path relative to the Vitest root, with the Vitest project's name when
 * another project runs the same file into the same database. Other test files in the same project run as
 * usual and are not recorded.
 */
import { relative } from 'node:path'
import picomatch from 'picomatch'
import type { WorkerConfig } from './worker-config.js'

const matchers = new Map<string, (path: string) => boolean>()

/** True when the test file at `filepath` is recorded as a run. */
export function isRunFile(config: Pick<WorkerConfig, 'projectRoot' | 'include'>, filepath: string): boolean {
  const key = config.include.join('\0')
  let matcher = matchers.get(key)
  if (matcher === undefined) {
    matcher = picomatch([...config.include], { dot: true })
    matchers.set(key, matcher)
  }
  return matcher(rootRelative(config.projectRoot, filepath))
}

/** The run name of an eval file: `evals/a.eval.ts`, or `evals/a.eval.ts [jsdom]` where projects overlap. */
export function runName(
  config: Pick<WorkerConfig, 'root' | 'vitestProject' | 'qualifiedFiles'>,
  filepath: string,
): string {
  const path = rootRelative(config.root, filepath)
  return config.qualifiedFiles.includes(filepath) ? `${path} [${config.vitestProject}]` : path
}

function rootRelative(root: string, filepath: string): string {
  return relative(root, filepath).split('\\').join('/')
}
