/**
 * What the OTLP export of a session's workers did, kept in the session's spool folder so every worker and
 * the reporter see it: `otlp-down.json`, written once by the first worker whose export failed (later
 * workers then do not try, so a dead collector costs one timeout per session), `otlp.ndjson`, one line
 * per finished run with the spans it exported and dropped, and `otlp-warned-<what>` files that make a
 * warning print once per session. Each eval file is its own worker process, so files are the channel.
 */
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** File names of the OTLP outcome inside a session's spool folder. */
export const OTLP_FILES = {
  down: 'otlp-down.json',
  counts: 'otlp.ndjson',
} as const

/** Why export was given up for the session. */
export interface CollectorDown {
  /** Where spans were sent. */
  readonly url: string
  /** The first failure, in one line. */
  readonly reason: string
  /** Epoch milliseconds. */
  readonly at: number
}

/** The export counts of one run (or of the spans ended outside any run, flushed with it). */
export interface ExportCounts {
  readonly exported: number
  readonly dropped: number
}

/** What the session's workers reported, summed. */
export interface SessionExport extends ExportCounts {
  /** Set when export was given up for the session. */
  readonly down: CollectorDown | undefined
}

/**
 * Marks the collector as down for the session; true when this call made the mark (the caller then warns),
 * false when another worker already had.
 */
export function markCollectorDown(sessionDir: string, down: CollectorDown): boolean {
  try {
    writeFileSync(join(sessionDir, OTLP_FILES.down), JSON.stringify(down), { flag: 'wx' })
    return true
  } catch {
    // Already marked by another worker (or the folder is gone: nothing to tell anyone then).
    return false
  }
}

/** The mark of a session whose collector is down, if any (a hostile or half-written mark counts as down). */
export function collectorDown(sessionDir: string): CollectorDown | undefined {
  const file = join(sessionDir, OTLP_FILES.down)
  if (!existsSync(file)) return undefined
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<CollectorDown>
    return {
      url: typeof parsed.url === 'string' ? parsed.url : 'the collector',
      reason: typeof parsed.reason === 'string' ? parsed.reason : 'an earlier export failed',
      at: typeof parsed.at === 'number' ? parsed.at : 0,
    }
  } catch {
    return { url: 'the collector', reason: 'an earlier export failed', at: 0 }
  }
}

/** Appends a run's counts (one short line: appends of a few bytes do not interleave between processes). */
export function recordExportCounts(sessionDir: string, counts: ExportCounts): void {
  if (counts.exported === 0 && counts.dropped === 0) return
  try {
    appendFileSync(
      join(sessionDir, OTLP_FILES.counts),
      `${JSON.stringify({ exported: counts.exported, dropped: counts.dropped, pid: process.pid })}\n`,
    )
  } catch {
    // The session folder is gone (the reporter already ended the session): nobody is left to tell.
  }
}

/** The session's export, summed over its workers' lines; `undefined` when no worker exported. */
export function readSessionExport(sessionDir: string): SessionExport | undefined {
  const down = collectorDown(sessionDir)
  let text: string
  try {
    text = readFileSync(join(sessionDir, OTLP_FILES.counts), 'utf8')
  } catch {
    return down === undefined ? undefined : { exported: 0, dropped: 0, down }
  }
  let exported = 0
  let dropped = 0
  for (const line of text.split('\n')) {
    if (line === '') continue
    try {
      const counts = JSON.parse(line) as Partial<ExportCounts>
      exported += count(counts.exported)
      dropped += count(counts.dropped)
    } catch {
      // A line cut by a killed worker: its counts are lost, the others still add up.
    }
  }
  return { exported, dropped, down }
}

/** Runs `warn` unless a warning of this kind was already given in the session; true when it ran. */
export function warnOncePerSession(sessionDir: string | undefined, kind: string, warn: () => void): boolean {
  if (sessionDir !== undefined) {
    try {
      writeFileSync(join(sessionDir, `otlp-warned-${kind}`), '', { flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    }
  }
  warn()
  return true
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0
}
