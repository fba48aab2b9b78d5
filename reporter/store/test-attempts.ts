/**
 * Test spans and their attempts, in SQL: a test with `retry` or `repeats` has one span per attempt (see
 * `src/vitest/test-span.ts`). A failed attempt Vitest retried (`vitest.test.retried`) is not a failed
 * test; an attempt that passed after failed ones (`vitest.test.flaky`) makes its test flaky. Older spans
 * without these attributes count as they always did.
 */

/** SQL: true for a test span whose failed attempt was followed by a retry (`alias` names the spans row). */
export function retriedAttempt(alias: string): string {
  return `coalesce(json_extract(${alias}.attributes, '$."vitest.test.retried"')::BOOLEAN, false)`
}

/** SQL: true for a test span that passed after failed attempts. */
export function flakyAttempt(alias: string): string {
  return `coalesce(json_extract(${alias}.attributes, '$."vitest.test.flaky"')::BOOLEAN, false)`
}

/** SQL: the id of the test an attempt span belongs to (its own span id for spans recorded without one). */
export function testOfAttempt(alias: string): string {
  return `coalesce(json_extract_string(${alias}.attributes, '$."vitest.test.id"'), ${alias}.span_id)`
}
