/**
 * How long the end of an eval file waits on OTLP export, per worker, when the collector is up, down
 * (connection refused) or hangs — the time that used to be about 5 s per file. Six "workers" of one
 * session run one after another, each a fresh Node process that loads strikes from `dist/`, ends the spans
 * of 20 tasks and times `flushExport()` (what the setup file's last hook awaits). They share the session's
 * spool folder, as Vitest workers do, so the second to sixth see the first's collector-down mark. Unlike
 * wall time of whole `vitest` runs, this isolates export waits from the noise of a shared machine.
 *
 *   npm run build && tsc -p bench/tsconfig.json && node bench/.tmp/build/bench/otlp-flush-wait.js
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startStandInCollectors } from './otlp-stand-ins.js'

// Compiled to bench/.tmp/build/bench/: four levels up is the repository.
const REPO = fileURLToPath(new URL('../../../..', import.meta.url))

/**
 * One worker: loads the exporter modules first (in a real worker that happens in the background while its
 * tests run, and costs the same whether the collector is up or not; timed apart as `loadMs`), ends 20 task
 * spans with export on, then times the flush; prints `{ loadMs, flushMs }`.
 */
const WORKER = `
const loading = performance.now()
await Promise.all([import('@opentelemetry/exporter-trace-otlp-proto'), import('@opentelemetry/resources')])
const loadMs = performance.now() - loading
const { enableOtlpExport, flushExport } = await import(${JSON.stringify(join(REPO, 'dist/src/otlp.js'))})
const { evalTask } = await import(${JSON.stringify(join(REPO, 'dist/src/index.js'))})
await enableOtlpExport({ otlp: true, maxObjectBytes: 1 << 20, sessionDir: process.env.SESSION_DIR })
const double = evalTask(async function double(n) { return n * 2 })
await double.map(Array.from({ length: 20 }, (_, n) => n))
const started = performance.now()
await flushExport()
console.log(JSON.stringify({ loadMs, flushMs: performance.now() - started }))
`

function worker(
  endpoint: string,
  sessionDir: string,
): Promise<{ loadMs: number; flushMs: number; warned: boolean }> {
  const env: NodeJS.ProcessEnv = { ...process.env, SESSION_DIR: sessionDir }
  for (const name of Object.keys(env)) if (name.startsWith('OTEL_')) delete env[name]
  env.OTEL_EXPORTER_OTLP_ENDPOINT = endpoint
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', WORKER], { env, cwd: REPO })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', () => {
      const line = out.trim().split('\n').at(-1) ?? ''
      try {
        const parsed = JSON.parse(line) as { loadMs: number; flushMs: number }
        resolve({ ...parsed, warned: err.includes('OTLP export to') })
      } catch {
        reject(new Error(`worker failed: ${out}\n${err}`))
      }
    })
  })
}

async function main(): Promise<void> {
  const collectors = await startStandInCollectors()
  const conditions: Record<string, string> = {
    'collector up': collectors.up,
    'collector down (refused)': collectors.down,
    'collector hangs': collectors.hangs,
  }
  console.log(
    '\nsix workers of one session, 20 tasks each: time the file end waits on export (`flushExport()`)\n',
  )
  console.log(
    '| condition | worker 1 | workers 2–6 | session total | warnings | exporter load per worker (not waiting) |',
  )
  console.log('| --- | --- | --- | --- | --- | --- |')
  for (const [name, endpoint] of Object.entries(conditions)) {
    const sessionDir = join(REPO, 'bench/.tmp/otlp-flush-wait', name.replace(/\W+/g, '-'))
    rmSync(sessionDir, { recursive: true, force: true })
    mkdirSync(sessionDir, { recursive: true })
    const results = []
    for (let i = 0; i < 6; i++) results.push(await worker(endpoint, sessionDir))
    const rest = results.slice(1).map((result) => result.flushMs)
    const total = results.reduce((sum, result) => sum + result.flushMs, 0)
    console.log(
      `| ${name} | ${results[0]?.flushMs.toFixed(0)} ms | ${Math.min(...rest).toFixed(0)}–${Math.max(...rest).toFixed(0)} ms | ` +
        `${(total / 1000).toFixed(2)} s | ${results.filter((result) => result.warned).length} | ` +
        `${Math.round(Math.min(...results.map((r) => r.loadMs)))}–${Math.round(Math.max(...results.map((r) => r.loadMs)))} ms |`,
    )
  }
  collectors.close()
}

await main()
