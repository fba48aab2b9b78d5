/**
 * Small tmpfs mounts for the cases that need a full or read-only disk. Mounting needs root (or a
 * container that allows it); where it is not allowed, the tests that need it say so when they skip.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

let mountable: boolean | undefined

/** True when this process may mount a tmpfs. */
export function canMountTmpfs(): boolean {
  if (mountable !== undefined) return mountable
  const probe = mkdtempSync(join(tmpdir(), 'strikes-mount-probe-'))
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' })
    execFileSync('umount', [probe], { stdio: 'ignore' })
    mountable = true
  } catch {
    mountable = false
  } finally {
    rmSync(probe, { recursive: true, force: true })
  }
  return mountable
}

/** Why a test that needs a tmpfs is skipped here. */
export const NO_TMPFS =
  'skipped: this process may not mount a tmpfs (it needs root, or a container that allows mount)'

/** A mounted tmpfs folder and how to change or remove it. */
export interface Tmpfs {
  readonly dir: string
  /** Remounts with other options (`size=4m`, `ro`, `rw`). */
  remount(options: string): void
  unmount(): void
}

/** Mounts a tmpfs with `options` (e.g. `size=1m`) on a new temporary folder. */
export function mountTmpfs(options: string): Tmpfs {
  const dir = mkdtempSync(join(tmpdir(), 'strikes-tmpfs-'))
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir])
  let mounted = true
  return {
    dir,
    remount(more) {
      execFileSync('mount', ['-o', `remount,${more}`, dir])
    },
    unmount() {
      if (!mounted) return
      mounted = false
      execFileSync('umount', [dir])
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
