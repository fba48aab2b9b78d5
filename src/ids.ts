/**
 * Span and trace ids (16 and 32 lowercase hex characters, as OpenTelemetry's), drawn from a pool of
 * random bytes refilled in blocks, so an id costs a slice of a buffer rather than a call into the OS.
 */
import { randomFillSync } from 'node:crypto'

const POOL_BYTES = 4096
const pool = Buffer.allocUnsafe(POOL_BYTES)
let used = POOL_BYTES

function randomHex(bytes: number): string {
  if (used + bytes > POOL_BYTES) {
    randomFillSync(pool)
    used = 0
  }
  const hex = pool.toString('hex', used, used + bytes)
  used += bytes
  return hex
}

/** A new random span id. */
export function newSpanId(): string {
  return randomHex(8)
}

/** A new random trace id. */
export function newTraceId(): string {
  return randomHex(16)
}
