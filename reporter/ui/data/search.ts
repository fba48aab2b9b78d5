/**
 * Text search over a list's inputs, outputs, errors and names: case-insensitive, the words as typed (no
 * pattern syntax). Stored values are JSON text, so the term is searched in its JSON-escaped form there;
 * the objects of the listed runs are scanned once (DuckDB's RE2 matcher over the value text, the runs'
 * rows found by zone maps), and the matching objects lead to their spans through `task_io`.
 */
import type { DuckDBValue } from '@duckdb/node-api'

/** The pieces a filtered list adds for a search. */
export interface SearchClauses {
  /** CTEs over `scope` (the listed runs). */
  readonly ctes: readonly string[]
  readonly cteParams: readonly DuckDBValue[]
  /** Joined to the spans `s`. */
  readonly join: string
  /** The condition on `s` and the join. */
  readonly where: string
  readonly whereParams: readonly DuckDBValue[]
}

/** Longest search text honoured. */
export const MAX_SEARCH_CHARS = 200

/** A case-insensitive RE2 pattern matching `text` literally. */
export function literalPattern(text: string): string {
  return `(?i)${text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&')}`
}

/** How `text` appears inside a JSON string (quotes, backslashes and control characters escaped). */
export function jsonEscaped(text: string): string {
  return JSON.stringify(text).slice(1, -1)
}

/** The clauses searching for `term` (trimmed, at most {@link MAX_SEARCH_CHARS} characters). */
export function searchClauses(term: string): SearchClauses {
  const text = term.trim().slice(0, MAX_SEARCH_CHARS)
  const inValues = literalPattern(jsonEscaped(text))
  const inText = literalPattern(text)
  return {
    ctes: [
      `hit_objects AS (
        SELECT run_id, hash FROM objects
        WHERE run_id IN (SELECT run_id FROM scope) AND regexp_matches(value::VARCHAR, ?)
      )`,
      `hit_spans AS (
        SELECT DISTINCT io.run_id, io.span_id FROM task_io io
        JOIN hit_objects h ON h.run_id = io.run_id AND h.hash = io.hash
        WHERE io.run_id IN (SELECT run_id FROM scope)
      )`,
    ],
    cteParams: [inValues],
    join: 'LEFT JOIN hit_spans hs ON hs.run_id = s.run_id AND hs.span_id = s.span_id',
    where: `(hs.span_id IS NOT NULL OR regexp_matches(coalesce(s.error, ''), ?) OR regexp_matches(coalesce(s.name, ''), ?))`,
    whereParams: [inText, inText],
  }
}
