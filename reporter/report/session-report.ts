/**
 * The HTML report written at the end of each session (placeholder until the report work lands).
 */
import type { ResolvedStrikesOptions } from '../../src/options.js'
import type { Database } from '../store/database.js'

/** What the report is rendered with. */
export interface ReportContext {
  readonly sessionId: string
  readonly options: ResolvedStrikesOptions
  /** Absolute path to write to. */
  readonly path: string
}

/** Writes the session's report; returns the path written, or `undefined` when none was written. */
export async function writeSessionReport(
  _database: Database,
  _context: ReportContext,
): Promise<string | undefined> {
  return undefined
}
