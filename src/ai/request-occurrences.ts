/**
 * Numbering of identical model requests made by the same task call, so that a task asking the same
 * question twice gets two cached answers rather than one answer twice.
 */

/**
 * Hands out the smallest free occurrence number per request key. A failed call gives its number back, so
 * the model client's own retries reuse the number of the attempt they replace.
 */
export class RequestOccurrences {
  readonly #taken = new Map<string, Set<number>>()

  /** Takes the smallest occurrence number of `key` not yet taken. */
  take(key: string): number {
    let taken = this.#taken.get(key)
    if (taken === undefined) {
      taken = new Set()
      this.#taken.set(key, taken)
    }
    let occurrence = 0
    while (taken.has(occurrence)) occurrence++
    taken.add(occurrence)
    return occurrence
  }

  /** Gives back a number taken by a call that failed. */
  release(key: string, occurrence: number): void {
    this.#taken.get(key)?.delete(occurrence)
  }
}

const byScope = new WeakMap<object, RequestOccurrences>()

/** The occurrence numbering of one scope (a task span, a run, or the process for detached calls). */
export function occurrencesOf(scope: object): RequestOccurrences {
  let occurrences = byScope.get(scope)
  if (occurrences === undefined) {
    occurrences = new RequestOccurrences()
    byScope.set(scope, occurrences)
  }
  return occurrences
}
