/**
 * Deterministic serialisation and content hashing of any JavaScript value.
 *
 * Rules (the same value always gives the same JSON text and hash):
 * - JSON values are written as JSON; object keys are sorted (UTF-16 code-unit order), so
 *   `{ b: 1, a: 2 }` and `{ a: 2, b: 1 }` serialise and hash alike.
 * - Values JSON cannot hold are written as one-key tagged objects:
 *   `undefined` (and array holes) → `{"$undefined":true}`; `NaN`, `±Infinity`, `-0` → `{"$number":"NaN"}`;
 *   BigInt → `{"$bigint":"12"}`; symbol → `{"$symbol":"desc"}`; function → `{"$function":"name"}`;
 *   Date → `{"$date":"ISO"}`; RegExp → `{"$regexp":"/a/g"}`; Error → `{"$error":{name,message,stack,cause,…}}`;
 *   Map → `{"$map":[[k,v],…]}` and Set → `{"$set":[…]}` (entries sorted by their serialised form);
 *   Buffer → `{"$buffer":"base64"}`; other typed arrays → `{"$typedarray":"Float32Array","data":[…]}`;
 *   ArrayBuffer / DataView → `{"$arraybuffer":"base64"}`; class instances → `{"$class":"Name",…own fields}`;
 *   a value with `toJSON()` is written as what `toJSON()` returns; boxed primitives (`new Number(1)`,
 *   `Object(1n)`) are written as the primitive, as `JSON.stringify` does.
 * - A circular reference → `{"$ref":"$.path.to.ancestor"}`; a getter that throws → `{"$throws":"message"}`.
 * - Nesting deeper than `maxDepth` (at most 1,000) or more than `maxNodes` values are cut
 *   (`{"$truncated":"depth"}`, `{"$truncated":"nodes"}`) and the result is flagged `truncated`; so is a
 *   value the call stack or the string length limit could not hold. A result larger than `maxBytes` is
 *   stored as `{"$truncated":{"size_bytes":N,"preview":"…"}}` (itself within `maxBytes`), flagged
 *   `truncated`, hashed over its full text.
 * - Serialisation never throws.
 */
import { hash as cryptoHash } from 'node:crypto'
import { DEFAULT_MAX_OBJECT_BYTES } from './shared/settings.js'

/** Default nesting depth after which values are cut. */
export const DEFAULT_MAX_DEPTH = 128
/** Deepest nesting ever written, whatever `maxDepth` says: deeper recursion could exhaust the call stack. */
export const MAX_DEPTH_LIMIT = 1000
/** Default number of values visited in one serialisation before the rest is cut. */
export const DEFAULT_MAX_NODES = 1_000_000

export interface SerialiseOptions {
  /** Largest stored JSON in bytes; larger values are kept as a flagged preview. */
  maxBytes?: number
  /** Deepest nesting written (at most 1,000); deeper values become `{"$truncated":"depth"}`. */
  maxDepth?: number
  /** Most values visited; the rest become `{"$truncated":"nodes"}`. */
  maxNodes?: number
}

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

const UNDEFINED_JSON = '{"$undefined":true}'

interface WalkState {
  readonly maxDepth: number
  readonly maxNodes: number
  nodes: number
  truncated: boolean
  readonly ancestors: object[]
  readonly path: string[]
}

/** Serialises any value to canonical JSON with a content hash, bounded by the given limits. Never throws. */
export function serialiseValue(value: unknown, options: SerialiseOptions = {}): SerialisedValue {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_OBJECT_BYTES
  let full: string
  let truncated = false
  if (typeof value === 'object' && value !== null) {
    const state = walkState(options)
    full = encodeObject(value, 0, state)
    truncated = state.truncated
  } else {
    // Most task inputs are scalars: no walk state to allocate.
    full = encodeScalar(value)
  }
  const hash = hashText(full)
  const sizeBytes = Buffer.byteLength(full)
  if (sizeBytes <= maxBytes) return { json: full, hash, sizeBytes, truncated }
  return { json: previewJson(full, sizeBytes, maxBytes), hash, sizeBytes, truncated: true }
}

/** The content hash of a text (the hash values are addressed by). */
export function hashText(text: string): string {
  return cryptoHash('sha1', text, 'hex')
}

/** Canonical JSON text of a value (no hashing, no size limit beyond depth and node bounds). */
export function canonicalJson(value: unknown, options: Omit<SerialiseOptions, 'maxBytes'> = {}): string {
  return encode(value, 0, walkState(options))
}

function walkState(options: Omit<SerialiseOptions, 'maxBytes'>): WalkState {
  return {
    maxDepth: depthLimit(options.maxDepth),
    maxNodes: options.maxNodes ?? DEFAULT_MAX_NODES,
    nodes: 0,
    truncated: false,
    ancestors: [],
    path: [],
  }
}

function depthLimit(maxDepth: number | undefined): number {
  return Math.min(maxDepth ?? DEFAULT_MAX_DEPTH, MAX_DEPTH_LIMIT)
}

/** The stored form of a value larger than `maxBytes`: the head of its JSON text, the whole within `maxBytes`. */
function previewJson(full: string, sizeBytes: number, maxBytes: number): string {
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

function encode(value: unknown, depth: number, state: WalkState): string {
  return typeof value === 'object' && value !== null ? encodeObject(value, depth, state) : encodeScalar(value)
}

/** Text of anything that is not an object (or is null). */
function encodeScalar(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value)
    case 'number':
      if (Number.isFinite(value)) return value === 0 && 1 / value < 0 ? '{"$number":"-0"}' : String(value)
      return `{"$number":"${String(value)}"}`
    case 'boolean':
      return value ? 'true' : 'false'
    case 'undefined':
      return UNDEFINED_JSON
    case 'bigint':
      return `{"$bigint":"${value.toString()}"}`
    case 'symbol':
      return `{"$symbol":${JSON.stringify(value.description ?? '')}}`
    case 'function':
      return `{"$function":${JSON.stringify(safeFunctionName(value))}}`
    default:
      return 'null'
  }
}

function safeFunctionName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name
    return typeof name === 'string' && name !== '' ? name : 'anonymous'
  } catch {
    return 'anonymous'
  }
}

function encodeObject(value: object, depth: number, state: WalkState): string {
  if (++state.nodes > state.maxNodes) {
    state.truncated = true
    return '{"$truncated":"nodes"}'
  }
  if (depth >= state.maxDepth) {
    state.truncated = true
    return '{"$truncated":"depth"}'
  }
  const cycleAt = state.ancestors.indexOf(value)
  if (cycleAt !== -1) return `{"$ref":${JSON.stringify(`$${state.path.slice(0, cycleAt).join('')}`)}}`
  state.ancestors.push(value)
  try {
    return encodeKnownObject(value, depth + 1, state)
  } catch (error) {
    // The call stack or the largest string ran out: cut here, flagged, rather than fail or lose the flag.
    if (error instanceof RangeError) {
      state.truncated = true
      return error.message.includes('call stack') ? '{"$truncated":"depth"}' : '{"$truncated":"size"}'
    }
    state.truncated = true
    return `{"$unserialisable":${JSON.stringify(describeThrown(error))}}`
  } finally {
    state.ancestors.pop()
  }
}

function encodeKnownObject(value: object, depth: number, state: WalkState): string {
  if (Array.isArray(value)) return encodeArray(value, depth, state)
  if (ArrayBuffer.isView(value)) return encodeView(value, depth, state)
  if (value instanceof ArrayBuffer || isSharedArrayBuffer(value)) {
    return `{"$arraybuffer":"${Buffer.from(new Uint8Array(value as ArrayBuffer)).toString('base64')}"}`
  }
  if (value instanceof Date) {
    const time = value.getTime()
    return `{"$date":${JSON.stringify(Number.isNaN(time) ? 'Invalid Date' : value.toISOString())}}`
  }
  if (value instanceof RegExp) return `{"$regexp":${JSON.stringify(String(value))}}`
  if (value instanceof Error) return `{"$error":${encodeFields(value, errorKeys(value), depth, state, '')}}`
  if (value instanceof Map) return encodeMap(value, depth, state)
  if (value instanceof Set) return encodeSet(value, depth, state)
  const toJSON = (value as { toJSON?: unknown }).toJSON
  if (typeof toJSON === 'function') {
    state.path.push('.toJSON()')
    try {
      return encode(toJSON.call(value), depth, state)
    } finally {
      state.path.pop()
    }
  }
  const proto: unknown = Object.getPrototypeOf(value)
  if (proto === Object.prototype || proto === null)
    return encodeFields(value, Object.keys(value).sort(), depth, state, '')
  if (isBoxedPrimitive(value)) return encode(value.valueOf(), depth, state)
  return encodeFields(
    value,
    Object.keys(value).sort(),
    depth,
    state,
    `"$class":${JSON.stringify(className(value))}`,
  )
}

function encodeArray(value: readonly unknown[], depth: number, state: WalkState): string {
  let out = '['
  for (let i = 0; i < value.length; i++) {
    if (i > 0) out += ','
    state.path.push(`[${i}]`)
    out += encode(value[i], depth, state)
    state.path.pop()
  }
  return `${out}]`
}

function encodeView(value: ArrayBufferView, depth: number, state: WalkState): string {
  if (Buffer.isBuffer(value)) return `{"$buffer":"${value.toString('base64')}"}`
  const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
  if (value instanceof DataView) return `{"$arraybuffer":"${Buffer.from(bytes).toString('base64')}"}`
  const items = Array.from(value as unknown as ArrayLike<unknown>)
  return `{"$typedarray":${JSON.stringify(className(value))},"data":${encodeArray(items, depth, state)}}`
}

function encodeMap(value: Map<unknown, unknown>, depth: number, state: WalkState): string {
  const entries: string[] = []
  let index = 0
  for (const [key, item] of value) {
    state.path.push(`.$map[${index++}]`)
    entries.push(`[${encode(key, depth, state)},${encode(item, depth, state)}]`)
    state.path.pop()
  }
  return `{"$map":[${entries.sort().join(',')}]}`
}

function encodeSet(value: Set<unknown>, depth: number, state: WalkState): string {
  const items: string[] = []
  let index = 0
  for (const item of value) {
    state.path.push(`.$set[${index++}]`)
    items.push(encode(item, depth, state))
    state.path.pop()
  }
  return `{"$set":[${items.sort().join(',')}]}`
}

function encodeFields(
  value: object,
  keys: readonly string[],
  depth: number,
  state: WalkState,
  prefix: string,
): string {
  let out = `{${prefix}`
  let first = prefix === ''
  for (const key of keys) {
    let item: unknown
    let threw = false
    try {
      item = (value as Record<string, unknown>)[key]
    } catch (error) {
      item = describeThrown(error)
      threw = true
    }
    out += `${first ? '' : ','}${JSON.stringify(key)}:`
    first = false
    if (threw) {
      out += `{"$throws":${JSON.stringify(item)}}`
      continue
    }
    state.path.push(`.${key}`)
    out += encode(item, depth, state)
    state.path.pop()
  }
  return `${out}}`
}

function errorKeys(error: Error): string[] {
  const keys = new Set(['name', 'message'])
  if (typeof error.stack === 'string') keys.add('stack')
  if ('cause' in error) keys.add('cause')
  for (const key of Object.keys(error)) keys.add(key)
  return [...keys].sort()
}

function className(value: object): string {
  try {
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name
    return typeof name === 'string' && name !== '' ? name : 'Object'
  } catch {
    return 'Object'
  }
}

type BoxedPrimitive = { valueOf(): unknown }

function isBoxedPrimitive(value: object): value is BoxedPrimitive {
  return (
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean ||
    value instanceof (BigInt as unknown as new () => object) ||
    value instanceof (Symbol as unknown as new () => object)
  )
}

function isSharedArrayBuffer(value: object): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer
}

/** A readable one-line description of anything thrown (an Error, a string, `undefined`, …). */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return `${thrown.name}: ${thrown.message}`
  if (typeof thrown === 'string') return thrown
  try {
    return canonicalJson(thrown, { maxDepth: 4, maxNodes: 1000 })
  } catch {
    return String(thrown)
  }
}
