/**
 * Holm's step-down correction of p-values for the keys of one comparison: controls the chance of calling
 * any unchanged key changed at the level chosen, whatever the number of keys, and is never less powerful
 * than Bonferroni's.
 */

/**
 * Holm-adjusted p-values in the order given; `undefined` entries (keys without a test) are left out of
 * the family and stay `undefined`.
 */
export function holmAdjust(pValues: readonly (number | undefined)[]): (number | undefined)[] {
  const tested = pValues
    .map((p, index) => ({ p, index }))
    .filter((entry): entry is { p: number; index: number } => entry.p !== undefined && !Number.isNaN(entry.p))
    .sort((a, b) => a.p - b.p || a.index - b.index)
  const adjusted: (number | undefined)[] = pValues.map(() => undefined)
  const m = tested.length
  let running = 0
  tested.forEach((entry, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * entry.p))
    adjusted[entry.index] = running
  })
  return adjusted
}
