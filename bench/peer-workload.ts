/**
 * Benchmark 1: the peer workload — N rows, a trivial task (upper-casing), two scorers — recorded to
 * DuckDB by `--reporter=strikes` as `test.concurrent.each` cases and as one `task.map`, against Evalite
 * 0.19 on the same rows (`../shared/peers/evalite/run.sh N`) and plain Vitest running the same cases
 * without strikes (the floor). Wall time of the whole command, median of the runs.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { measureCommand } from './process-stats.js'
import { type Spread, spread } from './stats.js'
import { benchProject, REPO, VITEST } from './workspace.js'

const ROWS = `const N = Number(process.env.N ?? 1000)
const rows = Array.from({ length: N }, (_, i) => ({ input: \`item \${i}\`, expected: \`ITEM \${i}\` }))
`

const STRIKES_TASK = `import { evalTask, scorer } from 'strikes'
import { expect, test } from 'vitest'
${ROWS}
const exact = scorer('exact', (output: string, { input }: { input: { expected: string } }) => (output === input.expected ? 1 : 0))
const len = scorer('len', (output: string) => Math.min(1, output.length / 10))
const upper = evalTask({ scorers: [exact, len] }, async function upper(row: { input: string; expected: string }) {
  return row.input.toUpperCase()
})
`

/** The projects of the peer workload: strikes as `test.each` cases, as one `map`, and plain Vitest. */
export const PEER_FILES = {
  each: {
    'bench.eval.ts': `${STRIKES_TASK}
test.concurrent.each(rows)('row $input', async (row) => {
  expect(await upper(row)).toBe(row.expected)
})
`,
  },
  map: {
    'bench.eval.ts': `${STRIKES_TASK}
test('all rows', { timeout: 600_000 }, async () => {
  expect(await upper.map(rows)).toHaveLength(N)
})
`,
  },
  plain: {
    'bench.test.ts': `import { expect, test } from 'vitest'
${ROWS}
const exact = (output: string, expected: string) => (output === expected ? 1 : 0)
const len = (output: string) => Math.min(1, output.length / 10)
test.concurrent.each(rows)('row $input', async (row) => {
  const output = row.input.toUpperCase()
  expect(exact(output, row.expected) + len(output)).toBeGreaterThan(0)
})
`,
  },
}

/** Wall times (ms) of one N, per variant. */
export interface PeerResult {
  readonly n: number
  readonly strikesEach: Spread
  readonly strikesMap: Spread
  readonly plainVitest: Spread
  readonly evalite: Spread | undefined
  readonly evaliteNote: string | undefined
}

async function timeVitest(variant: keyof typeof PEER_FILES, n: number, reporter: string[]): Promise<number> {
  const dir = benchProject(`peer-${variant}`, PEER_FILES[variant])
  const result = await measureCommand(process.execPath, [VITEST, 'run', '--root', dir, ...reporter], {
    cwd: dir,
    env: { N: String(n) },
  })
  if (result.code !== 0) throw new Error(`peer ${variant} N=${n} failed:\n${result.stdout}\n${result.stderr}`)
  return result.wallMs
}

function timeEvalite(n: number): number {
  const script = join(REPO, '../shared/peers/evalite/run.sh')
  const out = execFileSync('bash', [script, String(n)], { encoding: 'utf8', timeout: 30 * 60_000 })
  const wall = /wall_s=([\d.]+)/.exec(out)?.[1]
  if (wall === undefined) throw new Error(`evalite printed no wall time: ${out}`)
  return Number(wall) * 1000
}

/** Runs the peer workload at `n` rows, `runs` times each. */
export async function peerWorkload(
  n: number,
  runs: number,
  options: { evalite: boolean },
): Promise<PeerResult> {
  const each: number[] = []
  const map: number[] = []
  const plain: number[] = []
  const evalite: number[] = []
  for (let run = 0; run < runs; run++) {
    each.push(await timeVitest('each', n, ['--reporter=strikes']))
    map.push(await timeVitest('map', n, ['--reporter=strikes']))
    plain.push(await timeVitest('plain', n, []))
    if (options.evalite) evalite.push(timeEvalite(n))
  }
  const peerScript = join(REPO, '../shared/peers/evalite/run.sh')
  return {
    n,
    strikesEach: spread(each),
    strikesMap: spread(map),
    plainVitest: spread(plain),
    evalite: evalite.length > 0 ? spread(evalite) : undefined,
    evaliteNote: existsSync(peerScript) ? undefined : 'peer script missing',
  }
}
