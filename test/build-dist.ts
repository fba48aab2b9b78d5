/**
 * Vitest global setup: the integration and CLI tests run the built package (`dist/`), so a test file run
 * on its own after editing `src/` or `reporter/` would check old code. When a source file is newer than
 * the build, this compiles first (`tsc -p tsconfig.json`), and says so. Fixture projects under `test/.tmp/`
 * without a config of their own find this suite's config by searching upwards: their `vitest` runs skip
 * the check (only the suite's own run, rooted at the repository, builds).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { REPO_ROOT } from './helpers/fixture-project.js'

/** The newest modification time of the files under `dir` whose names end with `suffix`. */
function newest(dir: string, suffix: string): number {
  let latest = 0
  if (!existsSync(dir)) return latest
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(suffix)) continue
    const time = statSync(join(entry.parentPath, entry.name)).mtimeMs
    if (time > latest) latest = time
  }
  return latest
}

export default function buildDistWhenStale(project?: { readonly config?: { readonly root?: string } }): void {
  if (project?.config?.root !== undefined && resolve(project.config.root) !== REPO_ROOT) return
  const sources = Math.max(newest(join(REPO_ROOT, 'src'), '.ts'), newest(join(REPO_ROOT, 'reporter'), '.ts'))
  const built = newest(join(REPO_ROOT, 'dist'), '.js')
  if (built >= sources) return
  process.stderr.write(
    'strikes tests: dist/ is older than the sources; building it (tsc -p tsconfig.json)…\n',
  )
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'],
    {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    },
  )
}
