/**
 * Keeping what completed when a process ends abruptly. A CI cancel sends SIGTERM to the whole process
 * group, Ctrl-C sends SIGINT, a script may call `process.exit()`: without this, the records a spool
 * writer still holds in its buffer (up to a second's worth) are lost with the process. Once a run is
 * recorded in a process, its end, however it comes, first writes every open spool's pending batch
 * synchronously; the signal then takes its usual course (the next session — `vitest` or `withRun` —
 * ingests what was written). Worker threads receive no signals: there only `process.exit` is covered.
 */
import { isMainThread } from 'node:worker_threads'
import { flushOpenSpools } from './shared/spool/writer.js'

const INSTALLED = Symbol.for('strikes.flushOnExit')
type GlobalWithFlag = typeof globalThis & { [INSTALLED]?: boolean }

/** Signals after which a process's open spools are flushed. */
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const

/** Flushes every open spool on SIGTERM, SIGINT, SIGHUP and `process.exit` (installed once per process). */
export function flushSpoolsOnExit(): void {
  const scope = globalThis as GlobalWithFlag
  if (scope[INSTALLED] === true) return
  scope[INSTALLED] = true
  process.on('exit', flushOpenSpools)
  if (!isMainThread) return
  for (const signal of SIGNALS) {
    const onSignal = (): void => {
      flushOpenSpools()
      // Another listener decides what the signal does; alone, strikes lets it end the process as it would have.
      if (process.listenerCount(signal) === 1) {
        process.removeListener(signal, onSignal)
        process.kill(process.pid, signal)
      }
    }
    process.on(signal, onSignal)
  }
}
