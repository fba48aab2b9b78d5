/**
 * A read-only view of a task's output for its scorers: a scorer that changed the output would change what
 * the caller receives and what the next scorer grades (while the database keeps the value as it was).
 * Plain objects and arrays are wrapped, lazily and at any depth, in a proxy that refuses every change
 * with a `TypeError` naming it (the scorer then scores 0 with that error); reading is unchanged.
 * Primitives need no view; other objects (Map, Set, Date, class instances) are passed as they are — their
 * internal slots cannot be reached through a proxy.
 */

const views = new WeakMap<object, object>()

function viewable(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false
  if (Array.isArray(value)) return true
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function refuse(what: string): never {
  throw new TypeError(
    `strikes: a scorer tried to change the output it grades (${what}); scorers get a read-only view, so that the caller and the other scorers see the output the task returned`,
  )
}

const handler: ProxyHandler<object> = {
  get(target, key, receiver) {
    const value = Reflect.get(target, key, receiver)
    const descriptor = Reflect.getOwnPropertyDescriptor(target, key)
    // A proxy must return a frozen property's own value unchanged.
    if (descriptor !== undefined && descriptor.configurable === false && descriptor.writable === false)
      return value
    return readOnlyView(value)
  },
  set(_target, key) {
    return refuse(`set ${String(key)}`)
  },
  defineProperty(_target, key) {
    return refuse(`define ${String(key)}`)
  },
  deleteProperty(_target, key) {
    return refuse(`delete ${String(key)}`)
  },
  setPrototypeOf() {
    return refuse('set its prototype')
  },
  preventExtensions() {
    return refuse('prevent extensions')
  },
}

/** `value` as scorers see it: plain objects and arrays behind a read-only proxy (see the file header). */
export function readOnlyView<T>(value: T): T {
  if (!viewable(value)) return value
  let view = views.get(value)
  if (view === undefined) {
    view = new Proxy(value, handler)
    views.set(value, view)
  }
  return view as T
}
