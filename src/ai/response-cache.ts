/**
 * The response cache of model calls: one JSON file per answer under the cache folder, named by the SHA-256
 * of the request (model, prompt, call settings, trial index and occurrence).
 *
 * Entries are written atomically (temporary file, then rename); an unreadable entry is a miss and is
 * overwritten by the next answer. Dates and byte arrays in results are kept as tagged JSON values.
 */
import { hash } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { canonicalJson } from '../serialise.js'
import type { CallOptions, GenerateResult, LanguageModelV3, StreamPart } from './language-model.js'

/** Bumped when the entry format or the key material changes: old entries are then ignored. */
export const CACHE_FORMAT_VERSION = 1

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
}

/** Hash of a request: the model, the prompt and every call setting except the abort signal and headers. */
export function requestKey(identity: RequestIdentity): string {
  const { abortSignal: _signal, headers: _headers, ...settings } = identity.params
  const material = {
    format: CACHE_FORMAT_VERSION,
    provider: identity.model.provider,
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

  /** Stores a response under `key` (atomically: concurrent readers see the old entry or the new one). */
  async write(key: string, response: CachedResponse, about: Record<string, unknown> = {}): Promise<void> {
    const file = this.pathOf(key)
    await mkdir(dirname(file), { recursive: true })
    const text = JSON.stringify(
      { format: CACHE_FORMAT_VERSION, key, created_at: new Date().toISOString(), ...about, response },
      replace,
    )
    const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
    try {
      await writeFile(temporary, text)
      await rename(temporary, file)
    } catch (error) {
      await rm(temporary, { force: true })
      throw error
    }
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

/** A copy of plain objects and arrays without `undefined` properties (so `{ a: undefined }` keys like `{}`). */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined)
  if (typeof value !== 'object' || value === null) return value
  const prototype = Object.getPrototypeOf(value)
  if (prototype !== Object.prototype && prototype !== null) return value
  const copy: Record<string, unknown> = {}
  for (const [key, item] of Object.entries(value)) if (item !== undefined) copy[key] = withoutUndefined(item)
  return copy
}
