/**
 * The real clock spans and metrics are timed with, captured when strikes loads: a test that fakes time
 * (`vi.useFakeTimers()`, `vi.setSystemTime(…)`) changes what its code sees, never when its tasks ran.
 */

const monotonicNow = performance.now.bind(performance)
const origin = performance.timeOrigin
const realDateNow = Date.now

/** Milliseconds on a monotonic clock (for durations). */
export function monotonicMs(): number {
  return monotonicNow()
}

/** Milliseconds since the Unix epoch, from the real clock. */
export function epochMs(): number {
  return realDateNow()
}

/** Integer microseconds since the Unix epoch of a monotonic-clock reading. */
export function epochMicrosAt(monotonic: number): number {
  return Math.round((origin + monotonic) * 1000)
}
