/**
 * Deep equality for `exactMatch`.
 *
 * Rules: primitives compare with `===`, except that `NaN` equals `NaN`; arrays, plain objects and class
 * instances compare their own enumerable string keys (class instances must share a prototype; plain
 * objects and null-prototype objects count as the same kind); Maps compare entries (object keys are
 * matched by deep equality), Sets compare members the same way; Dates compare their time, RegExps their
 * source and flags, typed arrays, DataViews and ArrayBuffers their bytes, boxed primitives their value,
 * Errors their name, message and own fields. Functions, Promises and Weak collections are equal only to
 * themselves. Circular structures compare by shape. A getter that throws makes the comparison throw.
 */

/** True when two values are deeply equal (see the module's rules). */
export function deepEqual(a: unknown, b: unknown): boolean {
  return equal(a, b, new Map())
}

type InProgress = Map<object, object>

function equal(a: unknown, b: unknown, inProgress: InProgress): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  // A pair already being compared further up: assume equal, the outer comparison decides.
  const pairedWith = inProgress.get(a)
  if (pairedWith !== undefined) return pairedWith === b
  inProgress.set(a, b)
  try {
    return equalObjects(a, b, inProgress)
  } finally {
    inProgress.delete(a)
  }
}

function equalObjects(a: object, b: object, inProgress: InProgress): boolean {
  if (!sameKind(a, b)) return false
  if (Array.isArray(a)) return equalArrays(a, b as unknown[], inProgress)
  if (a instanceof Date) return equalTimes(a.getTime(), (b as Date).getTime())
  if (a instanceof RegExp) return a.source === (b as RegExp).source && a.flags === (b as RegExp).flags
  if (a instanceof Map) return equalMaps(a, b as Map<unknown, unknown>, inProgress)
  if (a instanceof Set) return equalSets(a, b as Set<unknown>, inProgress)
  if (ArrayBuffer.isView(a)) return equalBytes(bytesOf(a), bytesOf(b as ArrayBufferView))
  if (a instanceof ArrayBuffer) return equalBytes(new Uint8Array(a), new Uint8Array(b as ArrayBuffer))
  if (isIdentityOnly(a)) return false
  if (isBoxedPrimitive(a)) return equal(a.valueOf(), b.valueOf(), inProgress)
  if (a instanceof Error) {
    const other = b as Error
    if (a.name !== other.name || a.message !== other.message) return false
  }
  return equalFields(a, b, inProgress)
}

function sameKind(a: object, b: object): boolean {
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const protoA: unknown = Object.getPrototypeOf(a)
  const protoB: unknown = Object.getPrototypeOf(b)
  if (protoA === protoB) return true
  return isPlainPrototype(protoA) && isPlainPrototype(protoB)
}

function isPlainPrototype(proto: unknown): boolean {
  return proto === null || proto === Object.prototype
}

function equalTimes(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b))
}

function equalArrays(a: readonly unknown[], b: readonly unknown[], inProgress: InProgress): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!equal(a[i], b[i], inProgress)) return false
  return equalFields(a, b, inProgress, true)
}

function equalFields(a: object, b: object, inProgress: InProgress, skipIndices = false): boolean {
  const keysA = ownKeys(a, skipIndices)
  const keysB = ownKeys(b, skipIndices)
  if (keysA.length !== keysB.length) return false
  for (const key of keysA) {
    if (!Object.hasOwn(b, key) || !Object.prototype.propertyIsEnumerable.call(b, key)) return false
    const valueA = (a as Record<string, unknown>)[key]
    const valueB = (b as Record<string, unknown>)[key]
    if (!equal(valueA, valueB, inProgress)) return false
  }
  return true
}

function ownKeys(value: object, skipIndices: boolean): string[] {
  const keys = Object.keys(value)
  return skipIndices ? keys.filter((key) => !/^(?:0|[1-9]\d*)$/.test(key)) : keys
}

function equalMaps(a: Map<unknown, unknown>, b: Map<unknown, unknown>, inProgress: InProgress): boolean {
  if (a.size !== b.size) return false
  const unmatched: [unknown, unknown][] = []
  for (const [key, value] of a) {
    if (b.has(key)) {
      if (!equal(value, b.get(key), inProgress)) return false
    } else if (typeof key === 'object' && key !== null) {
      unmatched.push([key, value])
    } else {
      return false
    }
  }
  if (unmatched.length === 0) return true
  // Object keys not found by identity: pair each with a deep-equal key of `b` not in `a`.
  const candidates = [...b].filter(([key]) => !a.has(key))
  return matchAll(
    unmatched,
    candidates,
    ([keyA, valueA], [keyB, valueB]) => equal(keyA, keyB, inProgress) && equal(valueA, valueB, inProgress),
  )
}

function equalSets(a: Set<unknown>, b: Set<unknown>, inProgress: InProgress): boolean {
  if (a.size !== b.size) return false
  const unmatched: unknown[] = []
  for (const item of a) {
    if (b.has(item)) continue
    if (typeof item !== 'object' || item === null) return false
    unmatched.push(item)
  }
  if (unmatched.length === 0) return true
  const candidates = [...b].filter((item) => !a.has(item))
  return matchAll(unmatched, candidates, (itemA, itemB) => equal(itemA, itemB, inProgress))
}

/** Pairs every item of `left` with a distinct item of `right` that matches it (greedy). */
function matchAll<T>(left: readonly T[], right: readonly T[], matches: (a: T, b: T) => boolean): boolean {
  if (left.length !== right.length) return false
  const used = new Array<boolean>(right.length).fill(false)
  for (const item of left) {
    const index = right.findIndex((candidate, i) => !used[i] && matches(item, candidate))
    if (index === -1) return false
    used[index] = true
  }
  return true
}

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

function isIdentityOnly(value: object): boolean {
  return (
    value instanceof Promise ||
    value instanceof WeakMap ||
    value instanceof WeakSet ||
    value instanceof WeakRef
  )
}

function isBoxedPrimitive(value: object): boolean {
  return (
    value instanceof Number ||
    value instanceof String ||
    value instanceof Boolean ||
    value instanceof BigInt ||
    value instanceof Symbol
  )
}
