/**
 * Long texts and large values, for `serialise.ts`: the content hash of a text (taken piece by piece for a
 * long one), the JSON of a long string escaped and hashed piece by piece — so that a task returning
 * hundreds of megabytes never has its whole JSON text, nor its UTF-8 bytes, copied — and the preview
 * stored for a value larger than `maxBytes`.
 */
import { createHash, hash as cryptoHash } from 'node:crypto'

/** A value turned into canonical JSON, with its content hash. */
export interface SerialisedValue {
  /** Canonical JSON text as stored (a preview object when `truncated` by size). */
  json: string
  /** Hex SHA-1 of the full canonical JSON text. */
  hash: string
  /** Size in UTF-8 bytes of the full canonical JSON text. */
  sizeBytes: number
  /** True when depth, node count or size limits cut the value. */
  truncated: boolean
}

/** Code units of a text processed at once when hashing or escaping a long one. */
export const LONG_TEXT_CHARS = 1 << 20

/** The pieces of a long text, never split inside a surrogate pair (so each piece encodes as the whole does). */
function* textPieces(text: string): Generator<string> {
  for (let start = 0; start < text.length; ) {
    let end = Math.min(start + LONG_TEXT_CHARS, text.length)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1
    yield text.slice(start, end)
    start = end
  }
}

/** The content hash of a text (the hash values are addressed by); a long text is hashed piece by piece. */
export function hashText(text: string): string {
  if (text.length <= LONG_TEXT_CHARS) return cryptoHash('sha1', text, 'hex')
  const hash = createHash('sha1')
  for (const piece of textPieces(text)) hash.update(piece, 'utf8')
  return hash.digest('hex')
}

/**
 * Serialises a long string as `serialiseValue` would — the same hash, size and preview — escaping and
 * hashing it piece by piece, so that neither its whole JSON text nor its UTF-8 bytes are ever held.
 */
export function serialiseLongString(value: string, maxBytes: number): SerialisedValue {
  const hash = createHash('sha1').update('"')
  let sizeBytes = 2
  for (const piece of textPieces(value)) {
    const escaped = JSON.stringify(piece).slice(1, -1)
    hash.update(escaped, 'utf8')
    sizeBytes += Buffer.byteLength(escaped)
  }
  hash.update('"')
  const digest = hash.digest('hex')
  if (sizeBytes <= maxBytes) return { json: JSON.stringify(value), hash: digest, sizeBytes, truncated: false }
  // The preview is the head of the JSON text: escaping only lengthens text, so maxBytes characters cover it.
  const head = `"${JSON.stringify(value.slice(0, Math.min(value.length, maxBytes))).slice(1, -1)}`
  return { json: previewJson(head, sizeBytes, maxBytes), hash: digest, sizeBytes, truncated: true }
}

/** The stored form of a value larger than `maxBytes`: the head of its JSON text, the whole within `maxBytes`. */
export function previewJson(full: string, sizeBytes: number, maxBytes: number): string {
  const head = `{"$truncated":{"size_bytes":${sizeBytes},"preview":`
  const budget = maxBytes - head.length - 2
  let length = Math.max(0, Math.min(full.length, budget))
  let preview = previewText(full, length)
  let bytes = Buffer.byteLength(preview)
  // Escapes and multi-byte characters make the quoted preview longer than its length; shrink until it fits.
  while (bytes > budget && length > 0) {
    length = Math.min(length - 1, Math.floor((length * Math.max(budget, 0)) / bytes))
    preview = previewText(full, length)
    bytes = Buffer.byteLength(preview)
  }
  return `${head}${preview}}}`
}

/** The first `length` code units of `text` as a JSON string, without splitting a surrogate pair. */
function previewText(text: string, length: number): string {
  const last = text.charCodeAt(length - 1)
  const end = last >= 0xd800 && last <= 0xdbff ? length - 1 : length
  return JSON.stringify(text.slice(0, Math.max(end, 0)))
}
