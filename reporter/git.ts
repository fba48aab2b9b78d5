/** The git commit a session ran at, when the root is inside a git work tree. */
import { execFileSync } from 'node:child_process'

/** `git rev-parse HEAD` in `cwd`, or `undefined` outside a repository (or without git). */
export function gitSha(cwd: string): string | undefined {
  try {
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd,
      stdio: ['ignore', 'pipe', 'ignore'],
      encoding: 'utf8',
      timeout: 5000,
    }).trim()
    return /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined
  } catch {
    return undefined
  }
}
