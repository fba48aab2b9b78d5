/** "Did you mean …?": the candidate nearest to a misspelt word, by edit distance. */
import { wordDistance } from '../../src/shared/edit-distance.js'

/** The candidate within `maxDistance` edits of `word` (the nearest; the first on ties), if any. */
export function closestWord(word: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
  let best: string | undefined
  let bestDistance = maxDistance + 1
  for (const candidate of candidates) {
    const distance = wordDistance(word, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  return best
}
