/**
 * The HTML report of a session: what failed, how each run-level metric is distributed and moved since the
 * previous session, and the best candidates of each task — one self-contained, script-free file.
 */

import type { Database } from '../store/database.js'
import type { ResolvedStrikesOptions } from '../vitest/options.js'
import { loadReportModel } from './load-report-model.js'
import { renderReportHtml } from './render-report.js'
import { type ReportOptions, resolveReportOptions } from './report-options.js'
import type { ReportSessionFacts } from './session-header.js'
import { writeFileAtomically } from './write-file-atomically.js'

/** What the report is rendered with. */
export interface ReportContext {
  readonly sessionId: string
  /** The plugin options (`report`, `topN`, `rankBy`, `thresholds` are read). */
  readonly options: ResolvedStrikesOptions | (ReportOptions & { readonly report?: string | false })
  /** Absolute path to write to. */
  readonly path: string
  /** What the caller knows about the session beyond its stored row (e.g. the gate result just evaluated). */
  readonly session?: ReportSessionFacts
}

/** Renders a session's report to HTML (no file written). */
export async function renderSessionReport(
  database: Database,
  sessionId: string,
  options: ReportOptions = {},
  facts: ReportSessionFacts = {},
): Promise<string> {
  const model = await loadReportModel(database, sessionId, resolveReportOptions(options), facts)
  return renderReportHtml(model)
}

/**
 * Writes the session's report; returns the path written, or `undefined` when the `report` option is
 * `false`. Throws one error naming the path when it cannot be written.
 */
export async function writeSessionReport(
  database: Database,
  context: ReportContext,
): Promise<string | undefined> {
  if (context.options.report === false) return undefined
  let html: string
  try {
    html = await renderSessionReport(database, context.sessionId, context.options, context.session)
  } catch (error) {
    throw new Error(
      `strikes: could not render the report of session ${context.sessionId} for ${context.path}: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    )
  }
  return writeFileAtomically(context.path, html)
}
