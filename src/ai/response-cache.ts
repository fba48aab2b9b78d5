/**
 * The response cache of model calls: one JSON file per answer under the cache folder, named by the SHA-256
 * of the request (provider, endpoint, model, prompt, call settings, trial index and occurrence).
 *
 * The first answer for a key wins and stays: an entry is created only if absent (a temporary file
 * hard-linked into place, which fails when the entry exists), and a call that finds another call
 * computing the same key (`<entry>.pending`, created exclusively) waits for its answer instead of asking
 * the model again — across the workers of a session too. So a re-run replays exactly what the first run
 * saw. An unreadable entry is a miss. Entries hold the answer, usage and response metadata — never
 * request headers or keys. Dates and byte arrays in results are kept as tagged JSON values.
 */
import { hash } from 'node:crypto'
import { link, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname, join } from 'node:path'
import { canonicalJson } from '../serialise.js'
import type { CallOptions, GenerateResult, LanguageModelV3, StreamPart } from './language-model.js'

/** Bumped when the entry format or the key material changes: old entries are then ignored. */
export const CACHE_FORMAT_VERSION = 2

/** How often a call waiting for another call's answer looks for it. */
const WAIT_POLL_MS = 25
/** A pending mark older than this is taken over (its call was lost without removing it). */
const STALE_PENDING_MS = 10 * 60_000

/** A cached answer of a non-streaming call. */
export interface CachedGenerate {
  readonly kind: 'generate'
  readonly result: GenerateResult
}

/** A cached answer of a streaming call: every part, replayed in order. */
export interface CachedStream {
  readonly kind: 'stream'
  readonly parts: StreamPart[]
}

export type CachedResponse = CachedGenerate | CachedStream

/** What identifies a request, before its occurrence number. */
export interface RequestIdentity {
  readonly model: LanguageModelV3
  readonly params: CallOptions
  readonly mode: 'generate' | 'stream'
  /** Trial index of the calling `many`/count-form call (`undefined` outside one). */
  readonly trial: number | undefined
  /** The base URL the requests go to (`undefined` when the provider does not say). */
  readonly endpoint: string | undefined
}

/**
 * Hash of a request: provider, endpoint, model, prompt and every call setting except the abort signal and
 * headers.
 */
export function requestKey(identity: RequestIdentity): string {
  const { abortSignal: _signal, headers: _headers, ...settings } = identity.params
  const material = {
    format: CACHE_FORMAT_VERSION,
    provider: identity.model.provider,
    endpoint: identity.endpoint ?? null,
    model: identity.model.modelId,
    mode: identity.mode,
    trial: identity.trial ?? null,
    params: withoutUndefined(settings),
  }
  return hash('sha256', canonicalJson(material), 'hex')
}

/** The cache key of the `occurrence`-th identical request of one task call. */
export function entryKey(request: string, occurrence: number): string {
  return occurrence === 0 ? request : hash('sha256', `${request}#${occurrence}`, 'hex')
}

/** A response cache folder. */
export class ResponseCache {
  readonly dir: string

  constructor(dir: string) {
    this.dir = dir
  }

  /** The file of an entry. */
  pathOf(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`)
  }

  /** The cached response of `key`, or `undefined` (missing, unreadable or of another format). */
  async read(key: string): Promise<CachedResponse | undefined> {
    let text: string
    try {
      text = await readFile(this.pathOf(key), 'utf8')
    } catch {
      return undefined
    }
    try {
      const entry = JSON.parse(text, revive) as { format?: unknown; response?: CachedResponse }
      if (entry.format !== CACHE_FORMAT_VERSION || entry.response === undefined) return undefined
      const response = entry.response
      if (response.kind === 'generate' && typeof response.result === 'object' && response.result !== null)
        return response
      if (response.kind === 'stream' && Array.isArray(response.parts)) return response
      return undefined
    } catch {
      return undefined
    }
  }

  /**
   * Stores a response under `key` unless an entry is there already; returns the entry that stays (the
   * first answer wins, so a concurrent second writer gets the first's answer back).
   */
  async create(
    key: string,
    response: CachedResponse,
    about: Record<string, unknown> = {},
  ): Promise<CachedResponse> {
    const file = this.pathOf(key)
    await mkdir(dirname(file), { recursive: true })
    const text = JSON.stringify(
      { format: CACHE_FORMAT_VERSION, key, created_at: new Date().toISOString(), ...about, response },
      replace,
    )
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    try {
      await writeFile(temporary, text)
      await link(temporary, file)
      return response
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const first = await this.read(key)
      if (first !== undefined) return first
      // An entry that cannot be read (another format, or damaged) is replaced.
      await rm(file, { force: true })
      await link(temporary, file)
      return response
    } finally {
      await rm(temporary, { force: true })
    }
  }

  /**
   * Claims the right to compute `key`'s answer, waiting while another call (of this or another process)
   * computes it. Resolves to that call's answer when it produced one, else to `claimed`: the caller asks
   * the model, then `create`s the entry and `release`s the claim.
   */
  async claim(key: string, signal?: AbortSignal): Promise<CachedResponse | 'claimed'> {
    const pending = `${this.pathOf(key)}.pending`
    await mkdir(dirname(pending), { recursive: true })
    for (;;) {
      const existing = await this.read(key)
      if (existing !== undefined) return existing
      try {
        await writeFile(pending, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }), {
          flag: 'wx',
        })
        // The answer may have landed between the read and the claim.
        const landed = await this.read(key)
        if (landed === undefined) return 'claimed'
        await rm(pending, { force: true })
        return landed
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      if (await stalePending(pending)) {
        await rm(pending, { force: true })
        continue
      }
      signal?.throwIfAborted()
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS))
    }
  }

  /**
   * Gives up a claim (after the entry was created, or when the call failed: a waiting call then claims it).
   */
  async release(key: string): Promise<void> {
    await rm(`${this.pathOf(key)}.pending`, { force: true })
  }
}

/** True when a pending mark's call is gone: its process on this host is dead, or the mark is too old. */
async function stalePending(file: string): Promise<boolean> {
  let mark: { pid?: unknown; host?: unknown; at?: unknown }
  try {
    mark = JSON.parse(await readFile(file, 'utf8')) as typeof mark
  } catch (error) {
    // Gone (released meanwhile): not stale, the loop reads the entry. Unreadable: being written (young)
    // or damaged (old).
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    try {
      return Date.now() - (await stat(file)).mtimeMs > 5_000
    } catch {
      return false
    }
  }
  if (typeof mark.at !== 'number' || Date.now() - mark.at > STALE_PENDING_MS) return true
  if (mark.host !== hostname() || typeof mark.pid !== 'number') return false
  try {
    process.kill(mark.pid, 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM'
  }
}

/** The parts of a generate result worth keeping: the answer, usage and response metadata (no raw bodies). */
export function cacheableGenerate(result: GenerateResult): CachedGenerate {
  const response =
    result.response === undefined
      ? undefined
      : { id: result.response.id, timestamp: result.response.timestamp, modelId: result.response.modelId }
  return {
    kind: 'generate',
    result: withoutUndefined({
      content: result.content,
      finishReason: result.finishReason,
      usage: result.usage,
      providerMetadata: result.providerMetadata,
      response,
      warnings: result.warnings,
    }) as GenerateResult,
  }
}

const DATE_TAG = '$strikes:date'
const BYTES_TAG = '$strikes:bytes'

function replace(this: unknown, key: string, value: unknown): unknown {
  const original = (this as Record<string, unknown>)[key]
  if (original instanceof Date) return { [DATE_TAG]: original.toISOString() }
  if (value instanceof Uint8Array) return { [BYTES_TAG]: Buffer.from(value).toString('base64') }
  return value
}

function revive(_key: string, value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value
  const record = value as Record<string, unknown>
  const keys = Object.keys(record)
  if (keys.length !== 1) return value
  if (typeof record[DATE_TAG] === 'string') return new Date(record[DATE_TAG])
  if (typeof record[BYTES_TAG] === 'string') return new Uint8Array(Buffer.from(record[BYTES_TAG], 'base64'))
  return value
}

/**
 * A copy of plain objects and arrays without `undefined` properties (so `{ a: undefined }` keys like `{}`).
 */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined)
  if (typeof value !== 'object' || value === null) return value
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) if (item !== undefined) copy[key] = withoutUndefined(item)
  return copy
}
