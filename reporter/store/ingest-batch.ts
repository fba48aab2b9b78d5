/**
 * Session-scale ingest: a session's runs (one batch of the ingest queue, see `ingest-queue.ts`) are written
 * in one transaction — one `INSERT` for their run rows, one `read_json` over all their records files,
 * one `INSERT … SELECT` per table — instead of a transaction, a file read and a statement per table for
 * each run. The per-run fixed cost (~50 ms) becomes a per-batch one.
 *
 * The crash guarantees hold because the batch is all or nothing and the queue falls back to ingesting
 * its runs one by one (`ingestRun`, with text repair) when it fails: one run's bad data never blocks
 * another's, and a killed worker's run lands as `crashed` either way (its status is in the outcome, its
 * torn last line is dropped by `recordsFile`). Folders are removed only after the commit. Every run of a
 * batch gets the reliability checks of a run ingested alone (see `ingestBatch`).
 */
import { realpathSync, statSync } from 'node:fs'
import { recordsFile, removeFolder, type SpoolRun } from '../../src/shared/spool/reader.js'
import type { Database } from './database.js'
import {
  emptyCounts,
  type IngestCounts,
  RUNS_INSERT,
  type RunOutcome,
  runRowsJson,
  STREAM_FILE_BYTES,
} from './ingest.js'
import {
  BATCH_COUNTS_STATEMENT,
  batchInsertStatements,
  INGEST_TABLE,
  readBatchStatement,
} from './spool-tables.js'

/** A run of a batch. */
export interface BatchJob {
  readonly run: SpoolRun
  readonly outcome: RunOutcome
}

/**
 * A batch stops growing past `MAX_BATCH_BYTES`; records files above `STREAM_FILE_BYTES` are ingested
 * alone, with bounded memory (see `ingest.ts`), so a batch's temporary table stays small.
 */
const MAX_BATCH_BYTES = 128 * 2 ** 20

/** A run to plan, with the size of its records file measured once, when it was queued ({@link recordsSize}). */
export interface SizedJob extends BatchJob {
  readonly recordsBytes: number | undefined
}

/**
 * Splits jobs into batches (runs with small records files, up to `MAX_BATCH_BYTES`) and runs ingested
 * alone. A file refused after it was measured still fails its batch before anything is written (see
 * `ingestBatch`), and the batch's runs are then ingested one by one.
 */
export function planBatches<T extends SizedJob>(jobs: readonly T[]): { batches: T[][]; alone: T[] } {
  const batches: T[][] = []
  const alone: T[] = []
  let current: T[] = []
  let bytes = 0
  for (const job of jobs) {
    const size = job.recordsBytes
    // A records file strikes refuses (a link, another user's) or cannot read goes alone, so the queue
    // reports it for its run and the batch holds only files it can read.
    if (size === undefined || size > STREAM_FILE_BYTES) {
      alone.push(job)
      continue
    }
    if (current.length > 0 && bytes + size > MAX_BATCH_BYTES) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(job)
    bytes += size
  }
  if (current.length > 0) batches.push(current)
  return { batches, alone }
}

/** The size of the run's records file (0 when it has none); `undefined` when it is refused or unreadable. */
export function recordsSize(job: BatchJob): number | undefined {
  try {
    const file = recordsFile(job.run)
    return file === undefined ? 0 : statSync(file).size
  } catch {
    return undefined
  }
}

/** What a batch wrote: totals, and per run the checks of `ingestRun` (lines read against the worker's count, rows left out). */
export interface BatchCounts {
  readonly totals: IngestCounts
  /** By run id, for every run the batch wrote (not those already in the database). */
  readonly perRun: ReadonlyMap<string, IngestCounts>
}

/**
 * Writes a batch of runs in one transaction and removes their folders after the commit. Runs already in
 * the database are skipped (their folders removed). Each run gets the checks a run ingested alone gets:
 * its lines are counted against its worker's count, and values and points of its tasks that never ended
 * (no span in its own records) are left out and counted. DuckDB reads the records files by their real
 * paths (it may read only the spool root). Throws when the batch fails: nothing of it was written, and
 * the caller ingests its runs one by one.
 */
export async function ingestBatch(database: Database, jobs: readonly BatchJob[]): Promise<BatchCounts> {
  const totals = emptyCounts()
  const perRun = new Map<string, IngestCounts>()
  if (jobs.length === 0) return { totals, perRun }
  const present = new Set(
    (
      await database.query<{ run_id: string }>(
        'SELECT run_id FROM runs WHERE run_id IN (SELECT unnest(?::JSON::VARCHAR[]))',
        [JSON.stringify(jobs.map((job) => job.run.runId))],
      )
    ).map((row) => row.run_id),
  )
  const fresh = jobs.filter((job) => !present.has(job.run.runId))
  // Resolved before the transaction: a refused file (UnsafeSpoolError) fails the batch untouched.
  const files: { file: string; runId: string }[] = []
  for (const job of fresh) {
    const counts = emptyCounts()
    counts.runs = 1
    counts.expectedLines = job.run.end?.records ?? -1
    perRun.set(job.run.runId, counts)
    const file = recordsFile(job.run)
    if (file !== undefined) files.push({ file: realpathSync(file), runId: job.run.runId })
  }
  if (fresh.length > 0) {
    await database.transaction(async () => {
      await database.run(RUNS_INSERT, [runRowsJson(fresh)])
      totals.runs = fresh.length
      if (files.length === 0) return
      await database.run(readBatchStatement(files))
      const read = await database.query<{
        run_id: string
        lines: bigint
        orphan_values: bigint
        orphan_points: bigint
      }>(BATCH_COUNTS_STATEMENT)
      for (const row of read) {
        const counts = perRun.get(row.run_id)
        if (counts === undefined) continue
        counts.lines = Number(row.lines)
        counts.orphanValues = Number(row.orphan_values)
        counts.orphanPoints = Number(row.orphan_points)
      }
      for (const [table, statement] of batchInsertStatements()) {
        const result = await database.connection.run(statement)
        totals[table] += Number(result.rowsChanged)
      }
      await database.run(`DROP TABLE IF EXISTS ${INGEST_TABLE}`)
    })
  }
  for (const job of jobs) removeFolder(job.run.dir)
  return { totals, perRun }
}
