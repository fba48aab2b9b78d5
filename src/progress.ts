/**
 * Progress of long batches (`map`, `many`, `streamMap`, …): a line every few seconds with done/total,
 * failures and rate, printed with `console.info` so Vitest shows it with the test's own output (under
 * the test's name; `--silent` hides it, and machine-readable reporters such as `json` are unaffected).
 * Short batches print nothing.
 */

/** Counts one batch's progress and prints it at most once per interval. */
export interface BatchProgress {
  /** Counts a finished call. */
  tick(failed: boolean): void
  /** Prints the final line, if any progress was printed for this batch. */
  end(): void
}

const SILENT: BatchProgress = { tick() {}, end() {} }

/** Milliseconds between progress lines: `STRIKES_PROGRESS_MS` (0 turns progress off), else `fallback`. */
export function progressInterval(fallback: number): number {
  const fromEnv = process.env.STRIKES_PROGRESS_MS
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    const value = Number(fromEnv)
    if (Number.isFinite(value) && value >= 0) return value
  }
  return fallback
}

/**
 * Starts tracking a batch of `total` calls (undefined when the items' count is unknown) of the task
 * `label`. With `intervalMs` 0, tracking is off.
 */
export function startProgress(
  label: string,
  form: string,
  total: number | undefined,
  intervalMs: number,
): BatchProgress {
  if (intervalMs <= 0) return SILENT
  const started = Date.now()
  let lastPrinted = started
  let done = 0
  let failed = 0
  let printed = false
  const line = (final: boolean): string => {
    const seconds = Math.max((Date.now() - started) / 1000, 0.001)
    const count =
      total === undefined ? `${done}` : `${done}/${total} (${Math.floor((done / Math.max(total, 1)) * 100)}%)`
    const rate = (done / seconds).toFixed(1)
    const verb = final ? 'done' : 'running'
    return `strikes: ${label}.${form} ${verb} ${count} · ${failed} failed · ${rate}/s · ${seconds.toFixed(1)} s`
  }
  return {
    tick(isFailure: boolean): void {
      done += 1
      if (isFailure) failed += 1
      const now = Date.now()
      if (now - lastPrinted >= intervalMs) {
        lastPrinted = now
        printed = true
        console.info(line(false))
      }
    },
    end(): void {
      if (printed) console.info(line(true))
    },
  }
}

/** The number of items of a batch argument, when it can be known without consuming it. */
export function knownSize(items: unknown): number | undefined {
  if (typeof items === 'number') return items
  if (Array.isArray(items)) return items.length
  if (items instanceof Set || items instanceof Map) return items.size
  return undefined
}
