/** fast-check settings shared by the property tests. */

/** Every option of `fc.anything` that produces a value kind the serialiser has a rule for. */
export const ANYTHING = {
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withNullPrototype: true,
  withObjectString: true,
  withSet: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
} as const
