/**
 * Deterministic serialisation and content hashing of any JavaScript value (the rules are documented at
 * the top of src/serialise.ts).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { serialiseValue } from '../../src/index.js'
import { ANYTHING } from '../helpers/arbitraries.js'

const json = (value: unknown): string => serialiseValue(value).json
const parsed = (value: unknown): unknown => JSON.parse(json(value))

describe('JSON values', () => {
  it('are written as canonical JSON with sorted keys', () => {
    expect(json({ b: 1, a: [true, null, 'x'], c: { z: 1.5, y: -2 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":-2,"z":1.5}}',
    )
  })

  it('key order does not change the text or the hash', () => {
    const one = serialiseValue({ b: 1, a: { d: 2, c: 3 } })
    const two = serialiseValue({ a: { c: 3, d: 2 }, b: 1 })
    expect(one.json).toBe(two.json)
    expect(one.hash).toBe(two.hash)
  })

  it('the hash is a hex digest that differs between different values', () => {
    const one = serialiseValue({ a: 1 })
    expect(one.hash).toMatch(/^[0-9a-f]{32,}$/)
    expect(serialiseValue({ a: 2 }).hash).not.toBe(one.hash)
    expect(serialiseValue('1').hash).not.toBe(serialiseValue(1).hash)
  })

  it('sizeBytes is the UTF-8 size of the text and small values are not truncated', () => {
    const result = serialiseValue('héllo')
    expect(result.sizeBytes).toBe(Buffer.byteLength('"héllo"'))
    expect(result.truncated).toBe(false)
  })
})

describe('values JSON cannot hold', () => {
  it('circular references become $ref paths to the ancestor', () => {
    const root: Record<string, unknown> = { name: 'root' }
    root.self = root
    expect(json(root)).toBe('{"name":"root","self":{"$ref":"$"}}')
    const nested: { child: { items: unknown[] } } = { child: { items: [] } }
    nested.child.items.push(nested.child)
    expect(json(nested)).toBe('{"child":{"items":[{"$ref":"$.child"}]}}')
    const map = new Map<string, unknown>()
    map.set('me', map)
    expect(json(map)).toBe('{"$map":[["me",{"$ref":"$"}]]}')
  })

  it('a shared (not circular) reference is written in full at each place', () => {
    const shared = { v: 1 }
    expect(json({ a: shared, b: shared })).toBe('{"a":{"v":1},"b":{"v":1}}')
  })

  it('BigInt becomes {"$bigint": digits}', () => {
    expect(json(12345678901234567890n)).toBe('{"$bigint":"12345678901234567890"}')
    expect(json(-1n)).toBe('{"$bigint":"-1"}')
  })

  it('Map and Set are tagged and their entries sorted, so insertion order does not matter', () => {
    const a = new Map<unknown, unknown>([
      ['b', 2],
      ['a', 1],
    ])
    const b = new Map<unknown, unknown>([
      ['a', 1],
      ['b', 2],
    ])
    expect(json(a)).toBe('{"$map":[["a",1],["b",2]]}')
    expect(serialiseValue(a).hash).toBe(serialiseValue(b).hash)
    expect(json(new Set([3, 1, 2]))).toBe('{"$set":[1,2,3]}')
    expect(json(new Set(['y', 'x']))).toBe(json(new Set(['x', 'y'])))
    expect(json(new Map([[{ k: 1 }, new Set([{ v: 2 }])]]))).toBe('{"$map":[[{"k":1},{"$set":[{"v":2}]}]]}')
  })

  it('Date becomes {"$date": ISO}, an invalid date "Invalid Date"', () => {
    expect(json(new Date('2024-05-06T07:08:09.010Z'))).toBe('{"$date":"2024-05-06T07:08:09.010Z"}')
    expect(json(new Date(Number.NaN))).toBe('{"$date":"Invalid Date"}')
  })

  it('RegExp becomes {"$regexp": source}', () => {
    expect(json(/a+b/gi)).toBe('{"$regexp":"/a+b/gi"}')
  })

  it('Error keeps name, message, stack, cause (recursively) and its own fields', () => {
    const inner = new TypeError('inner problem')
    const outer = Object.assign(new Error('outer problem', { cause: inner }), { code: 'E_OUTER' })
    const value = parsed(outer) as { $error: Record<string, unknown> }
    expect(value.$error.name).toBe('Error')
    expect(value.$error.message).toBe('outer problem')
    expect(value.$error.code).toBe('E_OUTER')
    expect(typeof value.$error.stack).toBe('string')
    expect(value.$error.cause).toMatchObject({ $error: { name: 'TypeError', message: 'inner problem' } })
    expect(json(outer)).toBe(json(outer))
    const noStack = new RangeError('r')
    noStack.stack = undefined
    expect(json(noStack)).toBe('{"$error":{"message":"r","name":"RangeError"}}')
  })

  it('typed arrays, Buffers, ArrayBuffers and DataViews are tagged with their data', () => {
    expect(json(new Uint8Array([1, 2, 255]))).toBe('{"$typedarray":"Uint8Array","data":[1,2,255]}')
    expect(json(new Float64Array([0.5, Number.NaN]))).toBe(
      '{"$typedarray":"Float64Array","data":[0.5,{"$number":"NaN"}]}',
    )
    expect(json(new BigInt64Array([1n]))).toBe('{"$typedarray":"BigInt64Array","data":[{"$bigint":"1"}]}')
    expect(json(Buffer.from('hi'))).toBe('{"$buffer":"aGk="}')
    expect(json(new Uint8Array([104, 105]).buffer)).toBe('{"$arraybuffer":"aGk="}')
    const bytes = new Uint8Array([0, 104, 105, 0])
    expect(json(new DataView(bytes.buffer, 1, 2))).toBe('{"$arraybuffer":"aGk="}')
    expect(json(bytes.subarray(1, 3))).toBe('{"$typedarray":"Uint8Array","data":[104,105]}')
  })

  it('class instances are tagged with their class and keep their own fields', () => {
    class Point {
      constructor(
        readonly y: number,
        readonly x: number,
      ) {}
      get length(): number {
        return Math.hypot(this.x, this.y)
      }
    }
    expect(json(new Point(2, 1))).toBe('{"$class":"Point","x":1,"y":2}')
  })

  it('a getter that throws becomes {"$throws": message}; getters on the prototype are not called', () => {
    class Fragile {
      ok = 1
      get broken(): never {
        throw new Error('prototype getter')
      }
    }
    const value = new Fragile()
    Object.defineProperty(value, 'own', {
      enumerable: true,
      get() {
        throw new Error('own getter')
      },
    })
    expect(json(value)).toBe('{"$class":"Fragile","ok":1,"own":{"$throws":"Error: own getter"}}')
    const plain = Object.defineProperty({}, 'bad', {
      enumerable: true,
      get() {
        throw 'not an error'
      },
    })
    expect(json(plain)).toBe('{"bad":{"$throws":"not an error"}}')
  })

  it('a value whose toJSON() is used is written as what it returns; a throwing toJSON does not throw', () => {
    expect(json({ toJSON: () => ({ b: 1, a: 2 }) })).toBe('{"a":2,"b":1}')
    expect(json(new URL('https://example.com/a?b=1'))).toBe('"https://example.com/a?b=1"')
    const bad = {
      toJSON() {
        throw new Error('no json')
      },
    }
    expect(json(bad)).toBe('{"$unserialisable":"Error: no json"}')
  })

  it('proxies that throw on every trap do not make serialisation throw', () => {
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys')
        },
        get() {
          throw new Error('no get')
        },
        getPrototypeOf() {
          throw new Error('no proto')
        },
      },
    )
    expect(() => serialiseValue(hostile)).not.toThrow()
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    expect(() => serialiseValue({ proxy })).not.toThrow()
  })

  it('functions become {"$function": name}', () => {
    function namedFunction() {}
    class SomeClass {}
    expect(json(namedFunction)).toBe('{"$function":"namedFunction"}')
    expect(json(SomeClass)).toBe('{"$function":"SomeClass"}')
    expect(json([() => 1][0])).toBe('{"$function":"anonymous"}')
    expect(json({ fn: async function load() {} })).toBe('{"fn":{"$function":"load"}}')
  })

  it('symbols become {"$symbol": description}; symbol keys are left out', () => {
    expect(json(Symbol('tag'))).toBe('{"$symbol":"tag"}')
    expect(json(Symbol())).toBe('{"$symbol":""}')
    expect(json({ [Symbol('hidden')]: 1, shown: 2 })).toBe('{"shown":2}')
  })

  it('undefined becomes {"$undefined": true}, at the top, in objects and in arrays', () => {
    expect(json(undefined)).toBe('{"$undefined":true}')
    expect(json({ a: undefined })).toBe('{"a":{"$undefined":true}}')
    expect(json([undefined])).toBe('[{"$undefined":true}]')
  })

  it('NaN, ±Infinity and -0 become {"$number": text}; -0 is told apart from 0', () => {
    expect(json(Number.NaN)).toBe('{"$number":"NaN"}')
    expect(json(Number.POSITIVE_INFINITY)).toBe('{"$number":"Infinity"}')
    expect(json(Number.NEGATIVE_INFINITY)).toBe('{"$number":"-Infinity"}')
    expect(json(-0)).toBe('{"$number":"-0"}')
    expect(json(0)).toBe('0')
  })

  it('holes of sparse arrays are written as undefined, keeping the length', () => {
    // biome-ignore lint/suspicious/noSparseArray: sparse arrays are under test
    expect(json([1, , 3])).toBe('[1,{"$undefined":true},3]')
    expect(json(new Array(2))).toBe('[{"$undefined":true},{"$undefined":true}]')
  })

  it('boxed primitives are written as the primitive, as JSON.stringify does', () => {
    expect(json(new Number(1))).toBe('1')
    expect(json(new String('ab'))).toBe('"ab"')
    expect(json(new Boolean(false))).toBe('false')
    expect(json(Object(2n))).toBe('{"$bigint":"2"}')
    expect(serialiseValue(new Number(1)).hash).not.toBe(serialiseValue(new Number(2)).hash)
  })

  it('objects without a prototype are written like plain objects', () => {
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 1, a: 2 })
    expect(json(bare)).toBe('{"a":2,"b":1}')
  })
})

describe('strings', () => {
  it('lone surrogates are escaped and read back as the same string', () => {
    const value = 'a\uD800b\uDFFFc'
    const result = serialiseValue(value)
    expect(result.json).toBe('"a\\ud800b\\udfffc"')
    expect(JSON.parse(result.json)).toBe(value)
    expect(serialiseValue(value).hash).toBe(result.hash)
  })

  it('NUL bytes and control characters are escaped and read back as the same string', () => {
    const value = 'a\u0000b\u0001\n'
    expect(JSON.parse(json(value))).toBe(value)
    expect(json(value)).not.toContain('\u0000')
  })

  it('a 50 MB string is stored truncated within the limit, with its full size and a hash of it all', () => {
    const big = `${'x'.repeat(50 * 1024 * 1024 - 1)}y`
    const result = serialiseValue(big)
    expect(result.truncated).toBe(true)
    expect(result.sizeBytes).toBe(big.length + 2)
    expect(Buffer.byteLength(result.json)).toBeLessThanOrEqual(1024 * 1024)
    const stored = JSON.parse(result.json) as { $truncated: { size_bytes: number; preview: string } }
    expect(stored.$truncated.size_bytes).toBe(big.length + 2)
    expect(stored.$truncated.preview.startsWith('"xxxx')).toBe(true)
    const other = serialiseValue(`${'x'.repeat(50 * 1024 * 1024 - 1)}z`)
    expect(other.hash).not.toBe(result.hash)
    expect(other.json).toBe(result.json)
  })
})

describe('limits', () => {
  it('a value larger than maxBytes is stored as a preview that itself fits in maxBytes', () => {
    const cases: unknown[] = [
      Array.from({ length: 10_000 }, () => 'a'),
      '"'.repeat(5000),
      'é'.repeat(5000),
      '😀'.repeat(5000),
      '\u0000'.repeat(5000),
    ]
    for (const value of cases) {
      const result = serialiseValue(value, { maxBytes: 1000 })
      expect(result.truncated).toBe(true)
      expect(Buffer.byteLength(result.json)).toBeLessThanOrEqual(1000)
      expect(() => JSON.parse(result.json)).not.toThrow()
    }
  })

  it('maxBytes is configurable and the hash is that of the full value', () => {
    const value = { text: 'y'.repeat(500) }
    const small = serialiseValue(value, { maxBytes: 100 })
    const full = serialiseValue(value, { maxBytes: 10_000 })
    expect(small.truncated).toBe(true)
    expect(full.truncated).toBe(false)
    expect(small.hash).toBe(full.hash)
    expect(small.sizeBytes).toBe(full.sizeBytes)
  })

  it('2**16 levels of nesting do not overflow the stack: cut at the depth limit and flagged', () => {
    let arrays: unknown = 'leaf'
    let objects: unknown = 'leaf'
    for (let i = 0; i < 2 ** 16; i++) {
      arrays = [arrays]
      objects = { next: objects }
    }
    for (const deep of [arrays, objects]) {
      const result = serialiseValue(deep)
      expect(result.truncated).toBe(true)
      expect(result.json).toContain('{"$truncated":"depth"}')
      expect(() => JSON.parse(result.json)).not.toThrow()
      expect(serialiseValue(deep).json).toBe(result.json)
    }
  })

  it('a maxDepth beyond what the stack holds is capped: still no overflow, flagged and deterministic', () => {
    let deep: unknown = 'leaf'
    for (let i = 0; i < 2 ** 16; i++) deep = { next: deep }
    const first = serialiseValue(deep, { maxDepth: 2 ** 17 })
    expect(first.truncated).toBe(true)
    expect(first.json).not.toContain('$unserialisable')
    const fromDeepStack = (level: number): string =>
      level === 0 ? serialiseValue(deep, { maxDepth: 2 ** 17 }).json : fromDeepStack(level - 1)
    expect(fromDeepStack(2000)).toBe(first.json)
  })

  it('maxDepth and maxNodes cut the value and flag it', () => {
    expect(serialiseValue({ a: { b: { c: 1 } } }, { maxDepth: 2 })).toEqual(
      expect.objectContaining({ json: '{"a":{"b":{"$truncated":"depth"}}}', truncated: true }),
    )
    const wide = Array.from({ length: 10 }, (_, i) => ({ i }))
    const cut = serialiseValue(wide, { maxNodes: 5 })
    expect(cut.truncated).toBe(true)
    expect(cut.json).toContain('{"$truncated":"nodes"}')
  })
})

describe('properties', () => {
  it('never throws on anything', () => {
    fc.assert(
      fc.property(fc.anything(ANYTHING), (value) => {
        const result = serialiseValue(value)
        expect(typeof result.json).toBe('string')
        expect(() => JSON.parse(result.json)).not.toThrow()
      }),
      { numRuns: 500 },
    )
  })

  it('is deterministic: equal values give the same text and hash', () => {
    fc.assert(
      fc.property(fc.clone(fc.anything(ANYTHING), 2), ([one, two]) => {
        const a = serialiseValue(one)
        const b = serialiseValue(two)
        expect(b.json).toBe(a.json)
        expect(b.hash).toBe(a.hash)
        expect(serialiseValue(one).json).toBe(a.json)
      }),
      { numRuns: 500 },
    )
  })

  it('JSON values round-trip: JSON.parse of the text deep-equals the value', () => {
    // JSON itself has no -0; it is the one JSON-shaped value written tagged.
    const jsonValue = fc.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown)
    fc.assert(
      fc.property(jsonValue, (value) => {
        expect(JSON.parse(serialiseValue(value).json)).toStrictEqual(value)
      }),
      { numRuns: 500 },
    )
  })

  it('key order never matters', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse())
        expect(serialiseValue(reversed).hash).toBe(serialiseValue(record).hash)
      }),
    )
  })

  it('a truncated preview always fits in maxBytes and parses', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.integer({ min: 60, max: 300 }),
        (text, max) => {
          const result = serialiseValue(text, { maxBytes: max })
          expect(Buffer.byteLength(result.json)).toBeLessThanOrEqual(max)
          expect(() => JSON.parse(result.json)).not.toThrow()
        },
      ),
    )
  })
})
