/**
 * Which test files are runs — those matching the strikes include globs (by default `*.eval.*` files) —
 * and what each run is named: its path relative to the Vitest root, with the Vitest project's name when
 * another project runs the same file into the same database. Other test files in the same project run as
 * usual and are not recorded.
 */
import { relative } from 'node:path'
import type { WorkerConfig } from './worker-config.js'

const matchers = new Map<string, RegExp>()

/**
 * True when the test file at `filepath` is recorded as a run: its path relative to the project's root
 * matches the `include` globs, compiled to `includePattern` by the main process.
 */
export function isRunFile(
  config: Pick<WorkerConfig, 'projectRoot' | 'includePattern'>,
  filepath: string,
): boolean {
  const { source, flags } = config.includePattern
  const key = `${flags}/${source}`
  let matcher = matchers.get(key)
  if (matcher === undefined) {
    matcher = new RegExp(source, flags)
    matchers.set(key, matcher)
  }
  return matcher.test(rootRelative(config.projectRoot, filepath))
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
