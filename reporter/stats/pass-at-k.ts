/**
 * pass@k and pass^k of one input from its trials (n trials, c of them passing): the unbiased estimators
 * 1 − C(n − c, k) / C(n, k) (at least one of k trials drawn without replacement passes) and
 * C(c, k) / C(n, k) (all k pass). The ratios are computed as products, never as factorials.
 */

/** The unbiased pass@k of one input; `undefined` when it has fewer than k trials. */
export function passAtK(n: number, c: number, k: number): number | undefined {
  if (k < 1 || n < k) return undefined
  if (n - c < k) return 1
  return 1 - ratioOfChoices(n - c, n, k)
}

/**
 * The unbiased pass^k (every one of k trials passes) of one input; `undefined` when it has fewer than k
 * trials.
 */
export function passAllK(n: number, c: number, k: number): number | undefined {
  if (k < 1 || n < k) return undefined
  if (c < k) return 0
  return ratioOfChoices(c, n, k)
}

/** C(m, k) / C(n, k) = Π_{i<k} (m − i) / (n − i), for k ≤ m ≤ n. */
function ratioOfChoices(m: number, n: number, k: number): number {
  let ratio = 1
  for (let i = 0; i < k; i++) ratio *= (m - i) / (n - i)
  return ratio
}
