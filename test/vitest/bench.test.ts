/**
 * `vitest bench` with the strikes plugin behaves exactly as without it: the benchmarks run (no
 * "fn is not a function" from strikes' test runner), eval files are not executed, nothing is recorded.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, test } from 'vitest'
import { installedProject } from './installed-project.js'

interface BenchJson {
  files: { filepath: string; groups: { benchmarks: { name: string; sampleCount: number }[] }[] }[]
}

function benchmarks(dir: string): string[] {
  const json = JSON.parse(readFileSync(join(dir, 'bench.json'), 'utf8')) as BenchJson
  return json.files
    .flatMap((file) => file.groups.flatMap((group) => group.benchmarks))
    .filter((benchmark) => benchmark.sampleCount > 0)
    .map((benchmark) => benchmark.name)
    .sort()
}

describe.concurrent('vitest bench --run', () => {
  test('with the plugin: the benchmarks run, eval files do not, nothing is recorded, exit 0', async ({
    expect,
  }) => {
    const project = installedProject('bench')
    const result = await project.vitestRaw(['bench', '--run', '--root', project.dir])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(benchmarks(project.dir)).toEqual(['loop', 'reduce'])
    const output = result.stdout + result.stderr
    expect(output).not.toContain('EVAL FILE EXECUTED')
    expect(output).not.toContain('is not a function')
    expect(output).not.toContain('strikes')
    expect(existsSync(join(project.dir, '.strikes'))).toBe(false)
  })

  test('without the plugin: the same benchmarks, the same exit code', async ({ expect }) => {
    const project = installedProject('bench')
    const result = await project.vitestRaw(['bench', '--run', '--root', project.dir], {
      env: { BENCH_PLUGIN: '0' },
    })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(benchmarks(project.dir)).toEqual(['loop', 'reduce'])
  })

  test('with --reporter=strikes as well: benchmarks run and strikes records nothing', async ({ expect }) => {
    const project = installedProject('bench')
    const result = await project.vitestRaw(['bench', '--run', '--root', project.dir, '--reporter=strikes'])
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(benchmarks(project.dir)).toEqual(['loop', 'reduce'])
    expect(existsSync(join(project.dir, '.strikes'))).toBe(false)
  })
})
