/** `strikes report`: renders the report of a recorded session from the database file, read-only. */
import { openDatabase } from '../store/database.js'
import type { ReportOptions } from './report-options.js'
import { chooseSession } from './session-choice.js'
import { renderSessionReport } from './session-report.js'
import { writeFileAtomically } from './write-file-atomically.js'

export type { ReportOptions } from './report-options.js'
export { SessionNotFoundError } from './session-choice.js'
export { ReportWriteError } from './write-file-atomically.js'

/** What `renderReportFile` renders and where. */
export interface RenderReportFileOptions {
  /** The strikes DuckDB file. */
  readonly db: string
  /** A session id, a unique prefix of one, or `latest` (the default). */
  readonly sessionId?: string | 'latest'
  /** The HTML file to write. */
  readonly out: string
  /** `topN`, `rankBy` and `thresholds`, as in the plugin options. */
  readonly options?: ReportOptions
}

/**
 * Opens the database read-only, renders the chosen session's report to `out` and returns the absolute path
 * written. Throws `SessionNotFoundError` for an unknown session and `ReportWriteError` for an unwritable
 * path.
 */
export async function renderReportFile(request: RenderReportFileOptions): Promise<string> {
  const database = await openDatabase(request.db, { readOnly: true })
  try {
    const sessionId = await chooseSession(database, request.sessionId ?? 'latest', request.db)
    const html = await renderSessionReport(database, sessionId, request.options)
    return writeFileAtomically(request.out, html)
  } finally {
    database.close()
  }
}
