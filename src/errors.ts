/**
 * Errors a task can end with, and the normalisation of anything thrown into an `Error`.
 */
import { describeThrown } from './serialise.js'

/** A task threw something that is not an `Error` (`throw "x"`, `throw undefined`); `thrown` keeps it. */
export class ThrownValueError extends Error {
  override name = 'ThrownValueError'
  readonly thrown: unknown

  constructor(where: string, thrown: unknown) {
    super(`${where} threw a non-Error value: ${describeThrownValue(thrown)}`, { cause: thrown })
    this.thrown = thrown
  }
}

/** A task was still running when its test ended (timed out or finished without awaiting it). */
export class TaskCancelledError extends Error {
  override name = 'TaskCancelledError'
}

/** One asserted score that was falsy. */
export interface FailedScore {
  readonly name: string
  readonly value: number
}

/** A task's asserted scores were falsy (0); `failures` lists each of them. */
export class ScoreAssertionError extends Error {
  override name = 'ScoreAssertionError'
  readonly failures: readonly FailedScore[]

  constructor(task: string, failures: readonly FailedScore[]) {
    const list = failures.map((failure) => `${failure.name} = ${failure.value}`).join(', ')
    super(`task "${task}" failed its asserted scores: ${list}`)
    this.failures = failures
  }
}

/** Turns anything thrown into an `Error`, keeping Errors as they are. */
export function toError(thrown: unknown, where: string): Error {
  return thrown instanceof Error ? thrown : new ThrownValueError(where, thrown)
}

function describeThrownValue(thrown: unknown): string {
  if (thrown === undefined) return 'undefined'
  if (typeof thrown === 'string') return JSON.stringify(thrown)
  return describeThrown(thrown)
}
