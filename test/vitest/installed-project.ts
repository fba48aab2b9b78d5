/**
 * Fixture projects with strikes installed as users have it: the built package (`dist` and
 * `package.json`, what `npm pack` ships) copied into a `node_modules` folder once per test process, and
 * each project's `node_modules/strikes` linking to that copy. Unlike the repository link of
 * `fixture-project.ts`, the package's real path lies inside `node_modules`, so Vite externalises it as
 * it does an installed package — which is what the Vitest fidelity cases depend on (a setup file in
 * `node_modules` is evaluated once per worker when isolation is off, for one).
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import {
  type FixtureProject,
  query,
  REPO_ROOT,
  type RunOptions,
  type RunResult,
  runNode,
  VITEST_BIN,
} from '../helpers/fixture-project.js'

const TMP_ROOT = join(REPO_ROOT, 'test/.tmp')

let installed: string | undefined

/** The folder holding this process's installed copy of strikes (`<dir>/node_modules/strikes`). */
function installedPackage(): string {
  if (installed !== undefined) return installed
  if (!existsSync(join(REPO_ROOT, 'dist/src/index.js'))) {
    throw new Error('test/vitest needs the built package: run `npm run build` first')
  }
  mkdirSync(TMP_ROOT, { recursive: true })
  const home = mkdtempSync(join(TMP_ROOT, 'installed-strikes-'))
  const target = join(home, 'node_modules/strikes')
  mkdirSync(target, { recursive: true })
  cpSync(join(REPO_ROOT, 'dist'), join(target, 'dist'), { recursive: true })
  cpSync(join(REPO_ROOT, 'package.json'), join(target, 'package.json'))
  installed = target
  return target
}

/** A fixture project with strikes installed, and the `vitest` binary to run in it. */
export interface InstalledProject extends FixtureProject {
  /** Runs the `vitest` binary with exactly these arguments (`['bench', '--run']`, `['related', …]`). */
  vitestRaw(args: string[], options?: RunOptions): Promise<RunResult>
}

/**
 * Copies `fixtures/projects/<name>` (or starts an empty project) into a fresh folder with strikes
 * installed, and writes `files` over it.
 */
export function installedProject(
  name: string | undefined,
  files: Record<string, string> = {},
): InstalledProject {
  mkdirSync(TMP_ROOT, { recursive: true })
  const dir = mkdtempSync(join(TMP_ROOT, `${name ?? 'empty'}-`))
  if (name !== undefined) cpSync(join(REPO_ROOT, 'fixtures/projects', name), dir, { recursive: true })
  mkdirSync(join(dir, 'node_modules'), { recursive: true })
  symlinkSync(installedPackage(), join(dir, 'node_modules/strikes'), 'dir')
  for (const [path, content] of Object.entries(files)) writeInto(dir, path, content)
  return projectAt(dir)
}

/** A copy of a project in a fresh folder — its files, its database, its link to the installed package. */
export function copyProject(project: InstalledProject): InstalledProject {
  const dir = mkdtempSync(join(TMP_ROOT, 'copy-'))
  cpSync(project.dir, dir, { recursive: true, verbatimSymlinks: true })
  return projectAt(dir)
}

function writeInto(dir: string, path: string, content: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true })
  writeFileSync(join(dir, path), content)
}

function projectAt(dir: string): InstalledProject {
  const write = (path: string, content: string): void => {
    writeInto(dir, path, content)
  }
  return {
    dir,
    db: join(dir, '.strikes/strikes.duckdb'),
    write,
    vitest: (args = [], options = {}) => runNode([VITEST_BIN, 'run', '--root', dir, ...args], dir, options),
    vitestRaw: (args, options = {}) => runNode([VITEST_BIN, ...args], dir, options),
  }
}

export { query }
