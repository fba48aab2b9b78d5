/**
 * The bound on a report's size, whatever the database holds. Per-section caps (runs, keys, failures,
 * candidates per run) keep an ordinary report small; a crafted or enormous database could still multiply
 * them, so the report also has caps across all runs (cards of each kind) and a budget of characters of
 * stored text: every string of the view model is cut to {@link REPORT_BUDGET}.maxChars, and once the
 * budget is spent, further stored text is replaced by a short mark. Names are cut in SQL as well
 * ({@link cutSql}), so huge values never reach JavaScript.
 */

/** Caps across the whole report, and the text budget. */
export const REPORT_BUDGET = {
  /** Longest string of the view model (characters). */
  maxChars: 8_000,
  /** Characters of strings (beyond the short ones) the whole report may hold. */
  textChars: 2_000_000,
  /** Strings this short are labels and numbers, never cut by the budget. */
  shortChars: 24,
  /** Failures shown in the whole report. */
  maxFailures: 300,
  /** Candidates shown in the whole report. */
  maxCandidates: 500,
  /** Metric keys shown in the whole report. */
  maxMetricKeys: 1_500,
  /** Longest name (run, task, label, key, test) shown. */
  nameChars: 200,
} as const

/** What replaces stored text once the report's budget is spent. */
export const BUDGET_SPENT = '… (left out: the report reached its size limit)'

/** SQL: a text column cut to `chars` characters, with `…` when cut; NULL stays NULL. */
export function cutSql(column: string, chars: number = REPORT_BUDGET.nameChars): string {
  return `CASE WHEN length(${column}) > ${chars} THEN left(${column}, ${chars}) || '…' ELSE ${column} END`
}

/** A string cut to `chars` characters (never inside a surrogate pair), with `…` when cut. */
export function cutString(text: string, chars: number): string {
  if (text.length <= chars) return text
  let end = chars
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}

/**
 * Returns `model` with every string cut to `maxChars`, and strings past the character budget replaced
 * by {@link BUDGET_SPENT}, in document order (plain objects and arrays are walked; other values kept).
 */
export function boundReportText<T>(model: T): T {
  let left = REPORT_BUDGET.textChars
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') {
      if (value.length <= REPORT_BUDGET.shortChars) return value
      if (left <= 0) return BUDGET_SPENT
      const cut = cutString(value, Math.min(REPORT_BUDGET.maxChars, left))
      left -= cut.length
      return cut
    }
    if (Array.isArray(value)) return value.map(walk)
    if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      const copy: Record<string, unknown> = {}
      for (const [key, item] of Object.entries(value)) copy[key] = walk(item)
      return copy
    }
    return value
  }
  return walk(model) as T
}
