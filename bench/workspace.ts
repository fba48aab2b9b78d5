/**
 * Bench projects: generated folders under `bench/.tmp/workspace/projects/`, where `strikes` is installed
 * from a packed tarball of this repository (`npm pack`) beside `vitest` — as a user's project has it, so
 * Vitest treats it as an installed dependency (externalised), not as source to transform.
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (the benchmarks run compiled, from `bench/.tmp/build/bench/`). */
export const REPO = findRepository(dirname(fileURLToPath(import.meta.url)))

function findRepository(start: string): string {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }
      if (json.name === 'strikes') return dir
    } catch {
      // no package.json here: keep going up
    }
  }
  throw new Error(`strikes: the benchmarks must run inside the strikes repository (started in ${start})`)
}
const WORKSPACE = join(REPO, 'bench/.tmp/workspace')

/** The Vitest binary of the bench workspace. */
export const VITEST = join(WORKSPACE, 'node_modules/vitest/vitest.mjs')

/** Packs this repository and installs it (with Vitest) into the bench workspace, once per run. */
export function prepareWorkspace(): void {
  mkdirSync(WORKSPACE, { recursive: true })
  const packs = join(WORKSPACE, 'packs')
  rmSync(packs, { recursive: true, force: true })
  mkdirSync(packs)
  execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packs], {
    cwd: REPO,
    stdio: 'pipe',
  })
  const tarball = readdirSync(packs).find((name) => name.endsWith('.tgz'))
  if (tarball === undefined) throw new Error('strikes: npm pack produced no tarball')
  writeFileSync(
    join(WORKSPACE, 'package.json'),
    JSON.stringify({ name: 'strikes-bench', private: true, type: 'module' }),
  )
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      join(packs, tarball),
      `vitest@${vitestVersion()}`,
    ],
    { cwd: WORKSPACE, stdio: 'pipe' },
  )
}

function vitestVersion(): string {
  const json = JSON.parse(readFileSync(join(REPO, 'node_modules/vitest/package.json'), 'utf8')) as {
    version: string
  }
  return json.version
}

/** Creates (or recreates) a project folder with the given files; returns its path. */
export function benchProject(name: string, files: Record<string, string>): string {
  const dir = join(WORKSPACE, 'projects', name)
  rmSync(dir, { recursive: true, force: true })
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), content)
  }
  return dir
}
