/** Versions recorded on each session: this package's and the running Vitest's. */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The version of the installed strikes package. */
export function strikesVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const file = join(dir, 'package.json')
    if (existsSync(file)) {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string }
      if (json.name === 'strikes' && typeof json.version === 'string') return json.version
    }
    dir = dirname(dir)
  }
  return 'unknown'
}

/** The `name` in the package.json at `root`, if any. */
export function packageNameAt(root: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown }
    return typeof json.name === 'string' && json.name !== '' ? json.name : undefined
  } catch {
    return undefined
  }
}
