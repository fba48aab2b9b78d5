/**
 * The real clock spans and metrics are timed with, captured when strikes first loads in a worker (or
 * script) and kept on `globalThis`, so a copy of this module evaluated later — after a test faked time
 * with `vi.useFakeTimers()` / `vi.setSystemTime(…)` — still reads the real clock: faking time changes
 * what the test's code sees, never when its tasks ran.
 */

/** The clock functions as they were before any test could fake them. */
interface RealClock {
  readonly dateNow: () => number
  readonly monotonicNow: () => number
  /** Epoch milliseconds at which the monotonic clock reads 0. */
  readonly origin: number
}

const CLOCK = Symbol.for('strikes.real-clock.v1')

type GlobalWithClock = typeof globalThis & { [CLOCK]?: RealClock }

const scope = globalThis as GlobalWithClock
scope[CLOCK] ??= Object.freeze({
  dateNow: Date.now,
  monotonicNow: performance.now.bind(performance),
  origin: performance.timeOrigin,
})
const clock: RealClock = scope[CLOCK]

/** Milliseconds on a monotonic clock (for durations). */
export function monotonicMs(): number {
  return clock.monotonicNow()
}

/** Milliseconds since the Unix epoch, from the real clock. */
export function epochMs(): number {
  return clock.dateNow()
}

/** Integer microseconds since the Unix epoch of a monotonic-clock reading. */
export function epochMicrosAt(monotonic: number): number {
  return Math.round((clock.origin + monotonic) * 1000)
}
