/** Records keyed by user-given names (metric, input, output and parameter names). */

/**
 * Sets an own entry of a name-keyed record. Names are user strings, so `__proto__` is defined as an own
 * property instead of replacing the record's prototype.
 */
export function setEntry<T>(record: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__')
    Object.defineProperty(record, name, { value, writable: true, enumerable: true, configurable: true })
  else record[name] = value
}
