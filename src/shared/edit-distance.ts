/**
 * Levenshtein distance: of code point sequences within a budget of cells (the `levenshtein` scorer, on
 * outputs of any length), and of short words ("did you mean …?" in errors and gate messages).
 */

/** The edit distance of two short strings, by code points (no budget: for words and keys). */
export function wordDistance(a: string, b: string): number {
  return editDistance(codePoints(a), codePoints(b), Number.POSITIVE_INFINITY).exact as number
}

/** The code points of a string. */
export function codePoints(text: string): Int32Array {
  const points = new Int32Array(text.length)
  let count = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        points[count++] = ((unit - 0xd800) << 10) + (next - 0xdc00) + 0x10000
        i++
        continue
      }
    }
    points[count++] = unit
  }
  return points.subarray(0, count)
}

/** The edit distance, or a lower bound when the budget could not prove it. */
export type DistanceResult = { exact: number; atLeast?: undefined } | { exact?: undefined; atLeast: number }

/** Levenshtein distance of two code point sequences within a budget of `maxCells` cells. */
export function editDistance(first: Int32Array, second: Int32Array, maxCells: number): DistanceResult {
  let start = 0
  let endFirst = first.length
  let endSecond = second.length
  while (start < endFirst && start < endSecond && first[start] === second[start]) start++
  while (endFirst > start && endSecond > start && first[endFirst - 1] === second[endSecond - 1]) {
    endFirst--
    endSecond--
  }
  let a = first.subarray(start, endFirst)
  let b = second.subarray(start, endSecond)
  if (a.length > b.length) [a, b] = [b, a]
  const n = a.length
  const m = b.length
  if (n === 0) return { exact: m }
  if (n * m <= maxCells) return { exact: fullDistance(a, b) }
  // Banded attempts: a band of half-width p proves any distance up to (m − n) + 2p + 1.
  const skew = m - n
  let remaining = maxCells
  let atLeast = skew
  let tried = -1
  let halfWidth = 32
  while (true) {
    const affordable = Math.floor((remaining / n - 1 - skew) / 2)
    const p = Math.min(halfWidth, affordable)
    if (p <= tried) break
    const limit = skew + 2 * p + 1
    const attempt = bandedDistance(a, b, p, limit)
    if (attempt.distance <= limit) return { exact: attempt.distance }
    atLeast = limit + 1
    remaining -= attempt.cells
    tried = p
    halfWidth *= 2
  }
  return { atLeast }
}

/** Exact distance with two rows over the shorter sequence `a`. */
function fullDistance(a: Int32Array, b: Int32Array): number {
  const n = a.length
  let previous = new Int32Array(n + 1)
  let current = new Int32Array(n + 1)
  for (let i = 0; i <= n; i++) previous[i] = i
  for (let j = 1; j <= b.length; j++) {
    const bj = b[j - 1]
    current[0] = j
    for (let i = 1; i <= n; i++) {
      const substitution = (previous[i - 1] as number) + (a[i - 1] === bj ? 0 : 1)
      const deletion = (previous[i] as number) + 1
      const insertion = (current[i - 1] as number) + 1
      current[i] = min3(substitution, deletion, insertion)
    }
    ;[previous, current] = [current, previous]
  }
  return previous[n] as number
}

const FAR = 0x3fffffff

/**
 * The distance of `a` (length n) and `b` (length m >= n) when it is at most `limit`, else `limit + 1`,
 * with the number of cells computed.
 * Only diagonals `j − i` in `[−p, (m − n) + p]` are computed — a path costing at most
 * `limit = (m − n) + 2p + 1` never leaves them — and the scan stops once every cell of a row exceeds
 * `limit`.
 */
function bandedDistance(
  a: Int32Array,
  b: Int32Array,
  p: number,
  limit: number,
): { distance: number; cells: number } {
  const n = a.length
  const m = b.length
  const low = -p
  const width = m - n + 2 * p + 1
  let previous = new Int32Array(width)
  let current = new Int32Array(width)
  // Cell t of row i holds column j = i + low + t.
  for (let t = 0; t < width; t++) {
    const j = low + t
    previous[t] = j >= 0 && j <= m ? j : FAR
  }
  for (let i = 1; i <= n; i++) {
    const ai = a[i - 1]
    let rowMin = FAR
    for (let t = 0; t < width; t++) {
      const j = i + low + t
      let value: number
      if (j < 0 || j > m) value = FAR
      else if (j === 0) value = i
      else {
        const substitution = (previous[t] as number) + (ai === b[j - 1] ? 0 : 1)
        const deletion = (t + 1 < width ? (previous[t + 1] as number) : FAR) + 1
        const insertion = (t > 0 ? (current[t - 1] as number) : FAR) + 1
        value = min3(substitution, deletion, insertion)
      }
      current[t] = value
      if (value < rowMin) rowMin = value
    }
    if (rowMin > limit) return { distance: limit + 1, cells: i * width }
    ;[previous, current] = [current, previous]
  }
  const result = previous[m - n - low] as number
  return { distance: result > limit ? limit + 1 : result, cells: n * width }
}

/** The smallest of three integers (kept out of `Math.min` for speed in the inner loops). */
function min3(a: number, b: number, c: number): number {
  if (b < a) a = b
  if (c < a) a = c
  return a
}
