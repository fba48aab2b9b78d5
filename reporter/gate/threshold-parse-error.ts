/** The error a malformed threshold expression raises: what is wrong, at which column, and what would fit. */

/** A threshold expression that does not parse; `column` is 1-based (one past the end for a missing part). */
export class ThresholdParseError extends Error {
  override name = 'ThresholdParseError'
  /** What is wrong, without the position (`unknown aggregate "averag"`). */
  readonly problem: string
  /** The expression as given. */
  readonly source: string
  /** 1-based column the problem starts at. */
  readonly column: number
  /** What would fit there (`expected one of avg, mean, …`), if anything useful can be said. */
  readonly hint: string | undefined

  constructor(problem: string, source: string, column: number, hint?: string) {
    const where = column > source.length ? `at column ${column} (end of expression)` : `at column ${column}`
    super(`${problem} ${where}${hint === undefined ? '' : `; ${hint}`}`)
    this.problem = problem
    this.source = source
    this.column = column
    this.hint = hint
  }
}
