/**
 * Benchmark 6: `strikes merge` of S shard databases of T tasks each (the shards of one CI run, one
 * session group), built with SQL as sharded `vitest` sessions leave them (a task span, a metric, a
 * run-level point, an object and two task I/O rows per task). The whole `strikes merge` command is timed
 * in a fresh process into a new target, with its peak RSS (VmHWM) — then the same merge again, which
 * adds nothing.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { writeSyntheticShard } from '../test/shards/synthetic-shard.js'
import { measureCommand } from './process-stats.js'
import { type Spread, spread } from './stats.js'
import { REPO } from './workspace.js'

/** What merging the shards took. */
export interface MergeBench {
  readonly shards: number
  readonly tasksPerShard: number
  /** Wall time of `strikes merge` into a new target, in ms. */
  readonly wallMs: Spread
  /** Peak RSS of the merge process, in MB. */
  readonly peakMb: Spread
  /** Wall time of merging the same shards again (nothing new), in ms. */
  readonly againMs: Spread
  /** Task spans in the merged database. */
  readonly tasks: number
}

const CLI = join(REPO, 'dist/reporter/cli/main.js')

/** Builds `shards` shard databases of `tasksPerShard` tasks and times merging them, `runs` times. */
export async function mergeBench(shards: number, tasksPerShard: number, runs: number): Promise<MergeBench> {
  const dir = join(REPO, 'bench/.tmp/merge')
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  const paths: string[] = []
  for (let index = 1; index <= shards; index++) {
    const path = join(dir, `shard-${index}.duckdb`)
    await writeSyntheticShard({ path, index, count: shards, group: 'bench', tasks: tasksPerShard, runs: 10 })
    paths.push(path)
  }
  const target = join(dir, 'merged.duckdb')
  const wall: number[] = []
  const peak: number[] = []
  const again: number[] = []
  let tasks = 0
  for (let run = 0; run < runs; run++) {
    rmSync(target, { force: true })
    rmSync(`${target}.wal`, { force: true })
    const merged = await measureCommand(process.execPath, [CLI, 'merge', '--db', target, ...paths], {
      cwd: dir,
    })
    if (merged.code !== 0) throw new Error(`strikes merge failed: ${merged.stderr || merged.stdout}`)
    wall.push(merged.wallMs)
    peak.push(merged.mainPeakMb)
    tasks = Number(/(\d+) tasks/.exec(merged.stdout)?.[1] ?? 0)
    const second = await measureCommand(process.execPath, [CLI, 'merge', '--db', target, ...paths], {
      cwd: dir,
    })
    if (second.code !== 0 || !second.stdout.includes('skipped')) {
      throw new Error(`merging again did not skip: ${second.stderr || second.stdout}`)
    }
    again.push(second.wallMs)
  }
  return { shards, tasksPerShard, wallMs: spread(wall), peakMb: spread(peak), againMs: spread(again), tasks }
}
