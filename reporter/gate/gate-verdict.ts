/**
 * Gate verdicts, in one place: every verdict a gate row can have, the mark the table shows for it, and
 * whether it lets the session pass. The list is open: a verdict added here (with its mark) is shown and
 * stored everywhere else without further changes.
 */

/** Every verdict, in the order they are documented. */
export const GATE_VERDICTS = [
  'pass',
  'fail',
  'no data',
  'no baseline',
  'insufficient data',
  'not run',
] as const

/** A gate's verdict on one run (or on the session, for `no data`). */
export type GateVerdict = (typeof GATE_VERDICTS)[number]

/** The table's mark of a verdict when the row lets the session pass (a row that does not is always ✗). */
export const VERDICT_MARK: Readonly<Record<GateVerdict, string>> = {
  pass: '✓',
  fail: '✗',
  'no data': '✗',
  'no baseline': '?',
  'insufficient data': '?',
  'not run': '–',
}

/** What each verdict means, for documentation and `--help`. */
export const VERDICT_MEANING: Readonly<Record<GateVerdict, string>> = {
  pass: 'the expression holds',
  fail: 'the expression does not hold (or the candidate is significantly worse)',
  'no data': 'no run of the session recorded the key',
  'no baseline': 'a regression gate found nothing to compare with; passes unless strict',
  'insufficient data': 'too few paired inputs to test; passes unless strict',
  'not run':
    "the key's file did not run in this session (partial, cancelled or skipped); passes unless strict",
}
