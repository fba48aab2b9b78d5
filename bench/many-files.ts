/**
 * Benchmark 6: a suite of many eval files — F files × 20 `test.each` cases, one task and one scorer each —
 * run by `vitest run` with the strikes plugin in the config, recorded (`STRIKES=1`) against the very same
 * files with recording off (`STRIKES=0`: the files still import strikes and call the task, nothing is
 * spooled, ingested, gated or reported). Both sides keep the same reporter set (Vitest's default
 * reporter; the plugin adds strikes' own). Pairs alternate which side runs first. Wall time of the whole
 * command and CPU time (user + system of the command and every process it waited for, from
 * `/usr/bin/time`). The per-file profile comes from Vitest's own duration breakdown (summed over files,
 * divided by F) and from the reporter's `STRIKES_TIMINGS=1` line (ingest, gates, report, session end).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Spread, spread } from './stats.js'
import { benchProject, VITEST } from './workspace.js'

const CASES = 20

const CONFIG = `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'

export default defineConfig({ plugins: [strikes()] })
`

function evalFile(index: number): string {
  return `import { evalTask, scorer } from 'strikes'
import { expect, test } from 'vitest'

const cases = Array.from({ length: ${CASES} }, (_, i) => ({ input: \`file ${index} case \${i}\`, expected: \`FILE ${index} CASE \${i}\` }))
const exact = scorer('exact', (output: string, { input }: { input: { expected: string } }) => (output === input.expected ? 1 : 0))
const upper = evalTask({ scorers: [exact] }, async function upper(row: { input: string; expected: string }) {
  return row.input.toUpperCase()
})

test.each(cases)('case $input', async (row) => {
  expect(await upper(row)).toBe(row.expected)
})
`
}

/** The files of the suite of `files` eval files (the plugin's config and the eval files). */
export function manyFilesSources(files: number): Record<string, string> {
  const sources: Record<string, string> = { 'vitest.config.ts': CONFIG }
  for (let index = 0; index < files; index++) {
    sources[`evals/file-${String(index).padStart(3, '0')}.eval.ts`] = evalFile(index)
  }
  return sources
}

/** One `vitest run` of the suite. */
interface Sample {
  readonly wallMs: number
  readonly cpuMs: number
  /** Vitest's duration breakdown (transform, setup, import/collect, tests, environment, prepare), ms summed over files. */
  readonly phases: Record<string, number>
  /** From `STRIKES_TIMINGS`: rows and runs ingested, ms inside ingest, gates, report, whole session end. */
  readonly strikes: StrikesTimings | undefined
  /** Lines of strikes' terminal summary (from its header to the database line). */
  readonly summaryLines: number
}

/** Lines of strikes' summary block in a run's output (0 when there is none). */
export function summaryLineCount(stdout: string): number {
  const lines = stdout.split('\n')
  const first = lines.findIndex((line) => /^ strikes \d+ runs? recorded/.test(line))
  if (first === -1) return 0
  const last = lines.findIndex((line, index) => index > first && /^ (db|report) /.test(line))
  return (last === -1 ? lines.length : lines.findLastIndex((line) => /^ (db|report) /.test(line)) + 1) - first
}

/** The reporter's own timings line. */
export interface StrikesTimings {
  readonly rows: number
  readonly runs: number
  readonly ingestMs: number
  readonly gatesMs: number
  readonly reportMs: number
  readonly sessionEndMs: number
}

/** Parses the `strikes timings:` line the reporter prints with `STRIKES_TIMINGS=1`. */
export function parseStrikesTimings(stdout: string): StrikesTimings | undefined {
  const match =
    /strikes timings: ingested (\d+) rows(?: of (\d+) runs)? in ([\d.]+) ms.*?gates ([\d.]+) ms; report ([\d.]+) ms; session end ([\d.]+) ms/.exec(
      stdout,
    )
  if (match === null) return undefined
  return {
    rows: Number(match[1]),
    runs: Number(match[2] ?? 0),
    ingestMs: Number(match[3]),
    gatesMs: Number(match[4]),
    reportMs: Number(match[5]),
    sessionEndMs: Number(match[6]),
  }
}

function durationMs(text: string): number {
  const match = /^([\d.]+)(ms|s|m)$/.exec(text.trim())
  if (match === null) return Number.NaN
  const value = Number(match[1])
  return match[2] === 'ms' ? value : match[2] === 's' ? value * 1000 : value * 60_000
}

/** Vitest's `Duration  5.2s (transform 1.1s, setup 0ms, import 2s, tests 500ms, …)` line, as ms per phase. */
export function parseVitestPhases(stdout: string): Record<string, number> {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes in Vitest's output
  const plain = stdout.replace(/\u001b\[[0-9;]*m/g, '')
  const line = /Duration\s+\S+\s+\(([^)]*)\)/.exec(plain)?.[1]
  const phases: Record<string, number> = {}
  if (line === undefined) return phases
  for (const part of line.split(',')) {
    const [name, value] = part.trim().split(/\s+/)
    if (name !== undefined && value !== undefined) phases[name] = durationMs(value)
  }
  return phases
}

function runSuite(dir: string, recording: boolean): Promise<Sample> {
  const timeFile = join(mkdtempSync(join(tmpdir(), 'strikes-bench-')), 'time')
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(
      '/usr/bin/time',
      ['-f', '%U %S', '-o', timeFile, process.execPath, VITEST, 'run', '--root', dir],
      {
        cwd: dir,
        env: {
          ...process.env,
          NO_COLOR: '1',
          CI: '1',
          STRIKES: recording ? '1' : '0',
          STRIKES_TIMINGS: '1',
          STRIKES_PROGRESS_MS: '0',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
    })
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    child.on('error', reject)
    child.on('close', (code) => {
      const wallMs = performance.now() - started
      try {
        if (code !== 0) {
          throw new Error(
            `many-files (${recording ? 'recorded' : 'off'}) exited ${code}:\n${stdout}\n${stderr}`,
          )
        }
        const [user, system] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)?.split(' ') ?? []
        const strikes = recording ? parseStrikesTimings(stdout) : undefined
        if (recording && strikes === undefined)
          throw new Error(`many-files: no strikes timings in:\n${stdout}`)
        resolve({
          wallMs,
          cpuMs: (Number(user) + Number(system)) * 1000,
          phases: parseVitestPhases(stdout),
          strikes,
          summaryLines: summaryLineCount(stdout),
        })
      } catch (error) {
        reject(error)
      } finally {
        rmSync(join(timeFile, '..'), { recursive: true, force: true })
      }
    })
  })
}

/** Figures of one suite size. */
export interface ManyFilesResult {
  readonly files: number
  readonly pairs: number
  readonly recordedWallMs: Spread
  readonly offWallMs: Spread
  readonly recordedCpuMs: Spread
  readonly offCpuMs: Spread
  /** recorded ÷ off, per pair. */
  readonly wallRatio: Spread
  readonly cpuRatio: Spread
  /** Ingest of the session's runs: rows per second and ms per run, per recorded sample. */
  readonly ingestRowsPerSecond: Spread
  readonly ingestMsPerRun: Spread
  readonly rows: number
  /** Lines of the terminal summary of one recorded session. */
  readonly summaryLines: number
  /** Per-file profile, ms per file (medians over the pairs): Vitest's phases on both sides, strikes' session end. */
  readonly profile: Record<string, { recorded: number; off: number }>
  readonly sessionEnd: { ingestMs: number; gatesMs: number; reportMs: number; sessionEndMs: number }
}

/** Runs `files` eval files × 20 cases, `pairs` alternating pairs of recorded and not recorded. */
export async function manyFiles(files: number, pairs: number): Promise<ManyFilesResult> {
  const dir = benchProject(`many-files-${files}`, manyFilesSources(files))
  // One run first (not counted): Vite's transform cache and the OS file cache warm for both sides.
  await runSuite(dir, false)
  const recorded: Sample[] = []
  const off: Sample[] = []
  for (let pair = 0; pair < pairs; pair++) {
    if (pair % 2 === 0) {
      recorded.push(await runSuite(dir, true))
      off.push(await runSuite(dir, false))
    } else {
      off.push(await runSuite(dir, false))
      recorded.push(await runSuite(dir, true))
    }
  }
  const timings = recorded.map((sample) => sample.strikes as StrikesTimings)
  const phaseNames = new Set([...recorded, ...off].flatMap((sample) => Object.keys(sample.phases)))
  const profile: Record<string, { recorded: number; off: number }> = {}
  const perFile = (samples: Sample[], name: string): number =>
    spread(samples.map((sample) => (sample.phases[name] ?? 0) / files)).median
  for (const name of phaseNames)
    profile[name] = { recorded: perFile(recorded, name), off: perFile(off, name) }
  const median = (pick: (t: StrikesTimings) => number): number => spread(timings.map(pick)).median
  return {
    files,
    pairs,
    recordedWallMs: spread(recorded.map((sample) => sample.wallMs)),
    offWallMs: spread(off.map((sample) => sample.wallMs)),
    recordedCpuMs: spread(recorded.map((sample) => sample.cpuMs)),
    offCpuMs: spread(off.map((sample) => sample.cpuMs)),
    wallRatio: spread(recorded.map((sample, index) => sample.wallMs / (off[index] as Sample).wallMs)),
    cpuRatio: spread(recorded.map((sample, index) => sample.cpuMs / (off[index] as Sample).cpuMs)),
    ingestRowsPerSecond: spread(timings.map((t) => t.rows / Math.max(t.ingestMs / 1000, 1e-6))),
    ingestMsPerRun: spread(timings.map((t) => t.ingestMs / Math.max(t.runs, 1))),
    rows: timings[0]?.rows ?? 0,
    summaryLines: recorded[0]?.summaryLines ?? 0,
    profile,
    sessionEnd: {
      ingestMs: median((t) => t.ingestMs),
      gatesMs: median((t) => t.gatesMs),
      reportMs: median((t) => t.reportMs),
      sessionEndMs: median((t) => t.sessionEndMs),
    },
  }
}
