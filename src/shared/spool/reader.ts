/**
 * The reading side of the spool (used by the reporter): run folders of a session, a run's events
 * (version- and shape-checked), and its records file with a partial last line — left by a writer killed
 * mid-batch — dropped. A spool on disk may have been planted (a restored cache, a download), so only
 * real folders and regular files owned by this user are read (see `spool-safety.ts`), files are opened
 * without following links, and the one change the reader makes to a file — cutting a torn last line —
 * goes through the descriptor it checked, never through a path.
 */
import {
  closeSync,
  constants,
  type Dirent,
  fstatSync,
  ftruncateSync,
  lstatSync,
  readdirSync,
  readFileSync,
  readSync,
  rmdirSync,
  rmSync,
  unlinkSync,
} from 'node:fs'
import { basename, join } from 'node:path'
import {
  type RunEndEvent,
  type RunEvent,
  type RunStartEvent,
  SPOOL_FILES,
  SPOOL_FORMAT_VERSION,
} from './format.js'
import {
  openTrustedSpoolFile,
  type RefusedSpoolPath,
  UnsafeSpoolError,
  untrustedSpoolPath,
} from './spool-safety.js'

/** A run folder read from the spool. */
export interface SpoolRun {
  readonly dir: string
  readonly runId: string
  readonly start: RunStartEvent
  readonly params: Record<string, unknown>
  readonly tags: string[]
  /** Absent when the writer never finished (crashed). */
  readonly end: RunEndEvent | undefined
}

/** The run folders of a session folder, and the entries in it strikes refuses to read. */
export interface RunFolderScan {
  readonly folders: string[]
  readonly refused: RefusedSpoolPath[]
}

/** Lists a session folder: real folders owned by this user are runs; anything else is refused. */
export function scanRunFolders(sessionDir: string): RunFolderScan {
  const scan: RunFolderScan = { folders: [], refused: [] }
  let entries: Dirent[]
  try {
    entries = readdirSync(sessionDir, { withFileTypes: true })
  } catch {
    return scan
  }
  for (const entry of entries) {
    const path = join(sessionDir, entry.name)
    if (entry.isFile() && !entry.isSymbolicLink()) continue // the session's marker
    if (!entry.isDirectory() || entry.isSymbolicLink()) {
      scan.refused.push({
        path,
        reason: entry.isSymbolicLink() ? 'it is a symbolic link' : 'it is not a folder',
      })
      continue
    }
    const reason = untrustedSpoolPath(path, 'folder')
    if (reason === undefined) scan.folders.push(path)
    else scan.refused.push({ path, reason })
  }
  return scan
}

/** Run folders of a session folder that strikes reads (see {@link scanRunFolders}). */
export function runFolders(sessionDir: string): string[] {
  return scanRunFolders(sessionDir).folders
}

/**
 * Reads a run folder's events; `undefined` when it has no complete start event. Throws
 * {@link UnsafeSpoolError} for a run file strikes refuses (a link, another user's, not a strikes run).
 */
export function readSpoolRun(dir: string): SpoolRun | undefined {
  const file = join(dir, SPOOL_FILES.run)
  let fd: number
  try {
    fd = openTrustedSpoolFile(file, constants.O_RDONLY)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  let text: string
  try {
    text = readFileSync(fd, 'utf8')
  } finally {
    closeSync(fd)
  }
  let start: RunStartEvent | undefined
  let end: RunEndEvent | undefined
  const params: Record<string, unknown> = {}
  const tags: string[] = []
  for (const line of completeLines(text)) {
    let event: RunEvent
    try {
      event = JSON.parse(line) as RunEvent
    } catch {
      continue
    }
    if (typeof event !== 'object' || event === null) continue
    if (event.type === 'start') {
      if (event.v !== SPOOL_FORMAT_VERSION) {
        throw new Error(
          `strikes: the spool folder ${dir} has format version ${String(event.v)}, but this strikes reads version ${SPOOL_FORMAT_VERSION}`,
        )
      }
      const problem = startProblem(event, dir)
      if (problem !== undefined)
        throw new UnsafeSpoolError(`strikes: refused the spool folder ${dir}: ${problem}`)
      start = event
      for (const [key, value] of Object.entries(event.params)) setOwn(params, key, value)
      tags.push(...event.tags)
    } else if (event.type === 'param' && typeof event.key === 'string' && typeof event.value === 'string') {
      try {
        setOwn(params, event.key, JSON.parse(event.value))
      } catch {
        // a torn or crafted value: the parameter is left out
      }
    } else if (event.type === 'tag' && Array.isArray(event.tags)) {
      for (const item of event.tags) if (typeof item === 'string' && !tags.includes(item)) tags.push(item)
    } else if (event.type === 'end' && typeof event.ended_at === 'number') {
      end = event
    }
  }
  if (start === undefined) return undefined
  return { dir, runId: start.run_id, start, params, tags, end }
}

/** Sets an own property, even one named `__proto__` (plain assignment would change the prototype instead). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

/** What makes a start event unusable (a crafted or foreign file), or `undefined`. */
function startProblem(event: RunStartEvent, dir: string): string | undefined {
  const strings = ['run_id', 'session_id', 'project', 'name', 'file'] as const
  for (const field of strings) {
    if (typeof event[field] !== 'string') return `its run start has no text "${field}"`
  }
  if (event.run_id !== basename(dir))
    return `its run start names run ${event.run_id}, not the folder's ${basename(dir)}`
  if (typeof event.started_at !== 'number' || !Number.isFinite(event.started_at)) {
    return 'its run start has no start time'
  }
  if (typeof event.params !== 'object' || event.params === null || Array.isArray(event.params)) {
    return 'its run start has no parameter object'
  }
  if (!Array.isArray(event.tags) || event.tags.some((tag) => typeof tag !== 'string')) {
    return 'its run start has no tag list'
  }
  return undefined
}

function completeLines(text: string): string[] {
  const lastNewline = text.lastIndexOf('\n')
  if (lastNewline === -1) return []
  return text
    .slice(0, lastNewline)
    .split('\n')
    .filter((line) => line.length > 0)
}

/**
 * Path of a run folder's records file (a torn last line dropped), or `undefined` when it wrote none.
 * Throws {@link UnsafeSpoolError} when the file is one strikes refuses.
 */
export function recordsFile(run: SpoolRun): string | undefined {
  const file = join(run.dir, SPOOL_FILES.records)
  let fd: number
  try {
    fd = openTrustedSpoolFile(file, constants.O_RDWR)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  try {
    dropPartialLastLine(fd)
    return fstatSync(fd).size > 0 ? file : undefined
  } finally {
    closeSync(fd)
  }
}

/** Cuts an open file back to its last newline (a writer killed mid-batch leaves a partial line). */
export function dropPartialLastLine(fd: number): void {
  const size = fstatSync(fd).size
  if (size === 0) return
  let cut = 0
  const chunk = Buffer.alloc(64 * 1024)
  let end = size
  let first = true
  while (end > 0) {
    const start = Math.max(0, end - chunk.length)
    const length = end - start
    readSync(fd, chunk, 0, length, start)
    if (first && chunk[length - 1] === 0x0a) return
    first = false
    const index = chunk.subarray(0, length).lastIndexOf(0x0a)
    if (index !== -1) {
      cut = start + index + 1
      break
    }
    end = start
  }
  ftruncateSync(fd, cut)
}

/**
 * Removes a run folder (after its records were committed). The usual folder holds only the spool files:
 * they are unlinked by name and the folder removed, a few calls where `rmSync`'s recursive walk makes
 * several per entry; a folder holding anything else (or already gone) is walked.
 */
export function removeFolder(dir: string): void {
  try {
    // Never unlink through a link put in the folder's place: only a real folder takes the short path.
    if (lstatSync(dir).isDirectory()) {
      for (const name of Object.values(SPOOL_FILES)) {
        try {
          unlinkSync(join(dir, name))
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
        }
      }
      rmdirSync(dir)
      return
    }
  } catch {
    // Something else is in the folder, or it is already gone: the walk below removes what there is.
  }
  rmSync(dir, { recursive: true, force: true })
}
