/**
 * What an ingest's counts mean for the user: records lost from the spool (fewer lines than the worker
 * wrote) are an error naming the run; values and metric points left out because their task never ended,
 * and text repaired before it could be stored, are warnings. The same for a run ingested alone or in a
 * batch.
 */
import type { IngestCounts } from './ingest.js'

/** The problems an ingest's counts reveal for the run `name` (spool folder `dir`). */
export function ingestProblems(
  name: string,
  dir: string,
  counts: IngestCounts,
): { errors: Error[]; warnings: string[] } {
  const errors: Error[] = []
  const warnings: string[] = []
  if (counts.expectedLines >= 0 && counts.lines < counts.expectedLines) {
    errors.push(
      new Error(
        `strikes: run "${name}" lost records: its worker wrote ${counts.expectedLines} but ${dir} held ` +
          `${counts.lines} when it was ingested (the spool folder was changed or deleted while the run was ` +
          `recorded); the ${counts.lines} were stored`,
      ),
    )
  }
  if (counts.orphanValues + counts.orphanPoints > 0) {
    warnings.push(
      `strikes: run "${name}": ${counts.orphanValues} logged values and ${counts.orphanPoints} metric points of ` +
        'tasks that never ended (the worker stopped while they ran) were left out; every stored row has its span',
    )
  }
  if (counts.repairedLines > 0) {
    warnings.push(
      `strikes: run "${name}": ${counts.repairedLines} record${counts.repairedLines === 1 ? '' : 's'} ` +
        'held text DuckDB cannot store (a lone UTF-16 surrogate, as left by cutting a string inside an emoji, ' +
        'or invalid UTF-8); those characters were stored as U+FFFD',
    )
  }
  return { errors, warnings }
}
