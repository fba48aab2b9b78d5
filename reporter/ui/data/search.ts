/**
 * Text search over a list's inputs, outputs, errors and names: case-insensitive, the words as typed (no
 * pattern syntax). Stored values are JSON text, so the term is searched in its JSON-escaped form there.
 * The objects of the listed runs are scanned once per request (DuckDB's RE2 matcher over the value text;
 * the runs' rows found by zone maps) and the spans whose values match are kept in a temporary table of the
 * connection (in memory, gone when the database is closed), which the page and its count then join.
 */
import type { DuckDBValue } from '@duckdb/node-api'
import type { UiDatabase } from './database-lease.js'

/** Longest search text honoured. */
export const MAX_SEARCH_CHARS = 200

/** The temporary table holding the spans whose values match the current search. */
export const SEARCH_HITS = 'temp.main.strikes_ui_search_hits'

/** A case-insensitive RE2 pattern matching `text` literally. */
export function literalPattern(text: string): string {
  return `(?i)${text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}`
}

/** How `text` appears inside a JSON string (quotes, backslashes and control characters escaped). */
export function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1)
}

/** The term as searched: trimmed and cut to {@link MAX_SEARCH_CHARS} characters. */
function searchText(term: string): string {
  return term.trim().slice(0, MAX_SEARCH_CHARS)
}

/**
 * Finds the spans of the runs `scope` (SQL selecting `run_id`, with `scopeParams`) whose inputs or outputs
 * contain `term`, into {@link SEARCH_HITS}.
 */
export async function prepareSearch(
  db: UiDatabase,
  scope: string,
  scopeParams: readonly DuckDBValue[],
  term: string,
): Promise<void> {
  await db.database.run(
    `CREATE OR REPLACE TEMP TABLE strikes_ui_search_hits AS
     SELECT DISTINCT io.run_id, io.span_id FROM task_io io
     JOIN (
       SELECT run_id, hash FROM objects WHERE run_id IN (${scope}) AND regexp_matches(value::VARCHAR, ?)
     ) h ON h.run_id = io.run_id AND h.hash = io.hash
     WHERE io.run_id IN (${scope})`,
    [...scopeParams, literalPattern(jsonEscaped(searchText(term))), ...scopeParams],
  )
}

/** The join and condition a filtered list adds for a search prepared with {@link prepareSearch}. */
export function searchClauses(term: string): { join: string; where: string; params: DuckDBValue[] } {
  const pattern = literalPattern(searchText(term))
  return {
    join: `LEFT JOIN ${SEARCH_HITS} hs ON hs.run_id = s.run_id AND hs.span_id = s.span_id`,
    where: `(hs.span_id IS NOT NULL OR regexp_matches(coalesce(s.error, ''), ?) OR regexp_matches(coalesce(s.name, ''), ?))`,
    params: [pattern, pattern],
  }
}
