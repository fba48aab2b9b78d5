/**
 * `GET /previews?r=<run id>&s=<span id>&…`: one-line previews of the first input and output of up to 200
 * spans, as JSON. A task table asks for them once its rows are on screen, so sorting and filtering a million
 * rows answers with the rows first; the script puts the texts into their cells as plain text.
 */
import type { DatabaseLease } from '../data/database-lease.js'
import { spanKey } from '../data/span-values.js'
import { loadPreviews } from '../data/task-list.js'
import { BadRequestError } from './http-errors.js'

/** Spans one request may ask about. */
const MAX_SPANS = 200

/** One span's previews. */
export interface PreviewEntry {
  readonly run: string
  readonly span: string
  readonly input: string | null
  readonly output: string | null
}

/** The previews the URL asks for. */
export async function previewsFor(url: URL, lease: DatabaseLease): Promise<{ previews: PreviewEntry[] }> {
  const runs = url.searchParams.getAll('r')
  const spans = url.searchParams.getAll('s')
  if (runs.length !== spans.length) throw new BadRequestError('give one "r" (run id) for each "s" (span id)')
  if (spans.length > MAX_SPANS) throw new BadRequestError(`at most ${MAX_SPANS} spans at a time`)
  const refs = spans.map((spanId, index) => ({ runId: runs[index] ?? '', spanId }))
  if (refs.length === 0) return { previews: [] }
  const found = await lease.use((db) => loadPreviews(db, refs))
  return {
    previews: refs.map((ref) => {
      const entry = found.get(spanKey(ref))
      return { run: ref.runId, span: ref.spanId, input: entry?.input ?? null, output: entry?.output ?? null }
    }),
  }
}
