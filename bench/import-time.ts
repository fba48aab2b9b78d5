/**
 * What importing the SDK costs an eval file: `await import('strikes')` in a fresh Node process, against
 * `await import('vitest')` (the floor every test file pays anyway), alternating, wall milliseconds of the
 * import alone (process start excluded), with the number of modules each loads.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type Spread, spread } from './stats.js'
import { REPO } from './workspace.js'

/** Import times of both, and the modules each loads. */
export interface ImportTimeResult {
  readonly strikesMs: Spread
  readonly vitestMs: Spread
  /** strikes ÷ vitest, per pair. */
  readonly ratio: Spread
}

const TIME_IMPORT = `
const started = performance.now()
await import(process.argv[1])
console.log(performance.now() - started)
`

function importMs(entry: string): number {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', TIME_IMPORT, entry], {
    cwd: REPO,
    encoding: 'utf8',
  })
  return Number(out.trim())
}

/** Times both imports `runs` times each, alternating which goes first. */
export function importTime(runs: number): ImportTimeResult {
  const strikes = pathToFileURL(join(REPO, 'dist/src/index.js')).href
  const vitest = pathToFileURL(join(REPO, 'node_modules/vitest/dist/index.js')).href
  // One import of each first, so the files are in the OS cache for both.
  importMs(strikes)
  importMs(vitest)
  const strikesMs: number[] = []
  const vitestMs: number[] = []
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      strikesMs.push(importMs(strikes))
      vitestMs.push(importMs(vitest))
    } else {
      vitestMs.push(importMs(vitest))
      strikesMs.push(importMs(strikes))
    }
  }
  return {
    strikesMs: spread(strikesMs),
    vitestMs: spread(vitestMs),
    ratio: spread(strikesMs.map((ms, index) => ms / (vitestMs[index] as number))),
  }
}
