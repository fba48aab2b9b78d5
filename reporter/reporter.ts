/**
 * The strikes Vitest reporter (placeholder until the store lands).
 */
export class StrikesReporter {}
