/**
 * Recognising the strikes reporter in a list of Vitest reporters: by name (`strikes`), by the path of the
 * package's reporter entry, or as an instance of it (it carries a registered mark).
 */
import { STRIKES_REPORTER_MARK } from '../../src/shared/reporter-mark.js'
import { ownModulePath } from './project-config.js'

/** The package's reporter entry (its default export), as Vitest loads a reporter by path. */
export function reporterEntryPath(): string {
  return ownModulePath('src/reporter-entry')
}

/** True when `configured` (a reporter name, path, `[name, options]` pair or instance) is strikes'. */
export function isStrikesReporter(configured: unknown): boolean {
  const target = Array.isArray(configured) ? configured[0] : configured
  if (typeof target === 'string') return target === 'strikes' || target === reporterEntryPath()
  return typeof target === 'object' && target !== null && STRIKES_REPORTER_MARK in target
}

/** True when a reporter list holds the strikes reporter. */
export function hasStrikesReporter(reporters: readonly unknown[]): boolean {
  return reporters.some(isStrikesReporter)
}
