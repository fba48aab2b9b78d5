/**
 * What OTLP export costs a session when the collector is up, down (connection refused) or hangs (accepts
 * and never answers): six eval files of 20 tasks each, `vitest run --reporter=strikes` in a fixture project
 * linked to this repository, the four conditions alternated for `--rounds` rounds (default 3), wall time
 * of the whole command; medians, min–max, and the extra time over the same files without OTLP.
 *
 *   npm run build && tsc -p bench/tsconfig.json && node bench/.tmp/build/bench/otlp-collector.js
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { startStandInCollectors } from './otlp-stand-ins.js'

// Compiled to bench/.tmp/build/bench/: four levels up is the repository.
const REPO = fileURLToPath(new URL('../../../..', import.meta.url))
const VITEST = join(REPO, 'node_modules/vitest/vitest.mjs')
const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } })
const rounds = Number(values.rounds)

/** A project of six eval files of 20 tasks each. */
function project(): string {
  const dir = join(REPO, 'bench/.tmp/otlp-collector')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  symlinkSync(REPO, join(dir, 'node_modules/strikes'), 'dir')
  writeFileSync(
    join(dir, 'vitest.config.ts'),
    `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ project: 'otlp-bench', report: false })] })
`,
  )
  for (let i = 1; i <= 6; i++) {
    writeFileSync(
      join(dir, `file-${i}.eval.ts`),
      `import { evalTask } from 'strikes'
import { expect, test } from 'vitest'
const double = evalTask(async function double(n: number) { return n * 2 })
test('doubles', async () => {
  expect(await double.map(Array.from({ length: 20 }, (_, n) => n))).toHaveLength(20)
})
`,
    )
  }
  return dir
}

/** Wall time of one session, in milliseconds, and whether it passed (the collectors of this process keep answering meanwhile). */
function session(
  dir: string,
  endpoint: string | undefined,
): Promise<{ ms: number; ok: boolean; said: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1' }
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name]
  if (endpoint !== undefined) env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [VITEST, 'run', '--root', dir, '--reporter=strikes'], {
      cwd: dir,
      env,
    })
    let said = ''
    child.stdout.on('data', (chunk: Buffer) => {
      said += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      said += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ ms: performance.now() - started, ok: code === 0, said }))
  })
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

async function main(): Promise<void> {
  const dir = project()
  const collectors = await startStandInCollectors()
  const conditions: Record<string, string | undefined> = {
    'no OTLP': undefined,
    'collector up': collectors.up,
    'collector down (refused)': collectors.down,
    'collector hangs': collectors.hangs,
  }
  const times: Record<string, number[]> = Object.fromEntries(
    Object.keys(conditions).map((name) => [name, []]),
  )
  const warnings: Record<string, number[]> = Object.fromEntries(
    Object.keys(conditions).map((name) => [name, []]),
  )
  await session(dir, undefined) // warm-up: Vite's transform cache, DuckDB's first load
  for (let round = 0; round < rounds; round++) {
    for (const [name, endpoint] of Object.entries(conditions)) {
      const result = await session(dir, endpoint)
      if (!result.ok) throw new Error(`${name}: vitest failed\n${result.said}`)
      times[name]?.push(result.ms)
      warnings[name]?.push((result.said.match(/strikes: OTLP export to \S+ failed/g) ?? []).length)
      process.stderr.write(`round ${round + 1} ${name}: ${result.ms.toFixed(0)} ms\n`)
    }
  }
  collectors.close()
  const base = median(times['no OTLP'] ?? [])
  console.log(
    `\nsix eval files × 20 tasks, ${rounds} alternating rounds, wall time of \`vitest run --reporter=strikes\`\n`,
  )
  console.log('| condition | median | min–max | extra over no OTLP (per session) | warnings per session |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const [name, values] of Object.entries(times)) {
    const m = median(values)
    console.log(
      `| ${name} | ${(m / 1000).toFixed(2)} s | ${(Math.min(...values) / 1000).toFixed(2)}–${(Math.max(...values) / 1000).toFixed(2)} s | ` +
        `${name === 'no OTLP' ? '—' : `${((m - base) / 1000).toFixed(2)} s`} | ${(warnings[name] ?? []).join(', ')} |`,
    )
  }
}

await main()
