/** How numbers, durations, sizes and times are written in the report. */

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const largeFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })
const smallFormat = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 })

/** A number for humans: integers exact with separators, others to 4 significant digits. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—'
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '−∞'
  if (Number.isInteger(value)) return integerFormat.format(value)
  return Math.abs(value) >= 1000 ? largeFormat.format(value) : smallFormat.format(value)
}

/** A signed number (`+0.12`, `−3`). */
export function formatSigned(value: number): string {
  const text = formatNumber(Math.abs(value))
  if (value > 0) return `+${text}`
  if (value < 0) return `−${text}`
  return text
}

/** A duration in milliseconds: `404 ms`, `1.9 s`, `2 min 3 s`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  if (minutes < 60) return `${minutes} min ${seconds} s`
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** A size in bytes: `512 bytes`, `4.0 KiB`, `1.2 MiB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`
}

/** A point in time in UTC: `2026-11-27 19:34:07 UTC`. */
export function formatTime(time: Date | null | undefined): string {
  if (time === null || time === undefined || Number.isNaN(time.getTime())) return '—'
  return `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`
}

/** What was left out: `and 3 more candidates`, `and 1 more candidate`; empty (hidden) when nothing was. */
export function leftOut(count: number, noun: string, plural = `${noun}s`): string {
  return count > 0 ? `and ${countOf(count, `more ${noun}`, `more ${plural}`)}` : ''
}

/** A count with its noun, pluralised: `1 task`, `3 tasks`. */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${integerFormat.format(count)} ${count === 1 ? noun : plural}`
}
