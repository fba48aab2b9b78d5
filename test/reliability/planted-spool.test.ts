/**
 * A spool folder strikes did not write — committed, restored from a CI cache by tar, downloaded, planted —
 * is data to ingest or to refuse, never a place to write through: a records file that is a symbolic link,
 * a hard link or a FIFO, a run folder that is a link, a folder of another user are refused (said once,
 * left as they are) and the files they point at are untouched. The writer, for its part, writes only
 * into folders and files it creates.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import {
  chownSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { SPOOL_FORMAT_VERSION } from '../../src/shared/spool/format.js'
import { SpoolWriter } from '../../src/shared/spool/writer.js'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'

/** A file outside the spool that a planted link points at; its last line has no newline (a truncation would show). */
const VICTIM_TEXT = 'API_KEY=precious\nlast line without a newline'

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(child.stdout.toString())
}

interface Planted {
  readonly sessionDir: string
  readonly runDir: string
}

/** Plants a leftover session with one run folder whose run file is valid; `marker` says who wrote it. */
function plantSession(project: FixtureProject, marker: 'dead local process' | 'none, idle'): Planted {
  const spool = `${project.db}.spool`
  const sessionId = '11111111-2222-3333-4444-555555555555'
  const runId = '66666666-7777-8888-9999-000000000000'
  const sessionDir = join(spool, sessionId)
  const runDir = join(sessionDir, runId)
  mkdirSync(runDir, { recursive: true })
  writeFileSync(
    join(runDir, 'run.ndjson'),
    `${JSON.stringify({
      type: 'start',
      v: SPOOL_FORMAT_VERSION,
      run_id: runId,
      session_id: sessionId,
      project: 'planted',
      name: 'planted.eval.ts',
      file: 'planted.eval.ts',
      started_at: 1_700_000_000_000_000,
      pid: 1,
      params: {},
      tags: [],
    })}\n`,
  )
  if (marker === 'dead local process') {
    writeFileSync(
      join(sessionDir, 'session.json'),
      JSON.stringify({ session_id: sessionId, pid: deadPid(), host: hostname(), started_at: Date.now() }),
    )
  } else {
    // As a CI cache restored by tar: no marker, and older than the ten minutes a foreign folder waits.
    const old = new Date(Date.now() - 60 * 60_000)
    utimesSync(sessionDir, old, old)
  }
  return { sessionDir, runDir }
}

async function recordedRuns(db: string): Promise<string[]> {
  return (await query<{ name: string }>(db, 'SELECT name FROM runs ORDER BY name')).map((row) => row.name)
}

describe.each(['dead local process', 'none, idle'] as const)(
  'a planted leftover session (marker: %s)',
  (marker) => {
    test('a records file that is a symbolic link to a file elsewhere: the file is untouched, the run refused and said so, the session records', async () => {
      const project = fixtureProject('reliability-store')
      const victim = join(project.dir, 'victim.env')
      writeFileSync(victim, VICTIM_TEXT)
      const planted = plantSession(project, marker)
      symlinkSync(victim, join(planted.runDir, 'records.ndjson'))
      const result = await project.vitest(['--reporter=strikes'], { env: { STORE_REPORT: 'false' } })
      expect(result.code, result.stdout + result.stderr).toBe(0)
      expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
      expect(result.stdout + result.stderr).toContain(
        `refused the spool file ${join(planted.runDir, 'records.ndjson')}: it is a symbolic link`,
      )
      expect(lstatSync(join(planted.runDir, 'records.ndjson')).isSymbolicLink()).toBe(true)
      expect(await recordedRuns(project.db)).toEqual(['record.eval.ts'])
    })
  },
)

describe('other planted shapes', () => {
  test('a records file hard-linked to a file elsewhere, and one that is a FIFO: refused without reading, writing or hanging', async () => {
    const project = fixtureProject('reliability-store')
    const victim = join(project.dir, 'victim.env')
    writeFileSync(victim, VICTIM_TEXT)
    const linked = plantSession(project, 'dead local process')
    linkSync(victim, join(linked.runDir, 'records.ndjson'))
    const fifoRun = join(linked.sessionDir, '66666666-7777-8888-9999-fifofifofifo')
    mkdirSync(fifoRun)
    writeFileSync(
      join(fifoRun, 'run.ndjson'),
      readFileSync(join(linked.runDir, 'run.ndjson'), 'utf8').replace(
        '66666666-7777-8888-9999-000000000000',
        '66666666-7777-8888-9999-fifofifofifo',
      ),
    )
    execFileSync('mkfifo', [join(fifoRun, 'records.ndjson')])
    const result = await project.vitest(['--reporter=strikes'], {
      env: { STORE_REPORT: 'false' },
      timeoutMs: 120_000,
    })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    const output = result.stdout + result.stderr
    expect(output).toContain(
      `refused the spool file ${join(linked.runDir, 'records.ndjson')}: it has other hard links`,
    )
    expect(output).toContain(
      `refused the spool file ${join(fifoRun, 'records.ndjson')}: it is not a regular file`,
    )
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
    expect(lstatSync(join(fifoRun, 'records.ndjson')).isFIFO()).toBe(true)
    expect(await recordedRuns(project.db)).toEqual(['record.eval.ts'])
  })

  test('a run folder that is a symbolic link to a folder elsewhere: refused, the folder it points at untouched', async () => {
    const project = fixtureProject('reliability-store')
    const planted = plantSession(project, 'dead local process')
    const elsewhere = join(project.dir, 'elsewhere')
    mkdirSync(elsewhere)
    writeFileSync(join(elsewhere, 'run.ndjson'), readFileSync(join(planted.runDir, 'run.ndjson')))
    writeFileSync(join(elsewhere, 'records.ndjson'), 'keep me')
    const linkedRun = join(planted.sessionDir, 'linked-run')
    symlinkSync(elsewhere, linkedRun)
    const result = await project.vitest(['--reporter=strikes'], { env: { STORE_REPORT: 'false' } })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout + result.stderr).toContain(
      `refused the spool entry ${linkedRun}: it is a symbolic link`,
    )
    expect(readFileSync(join(elsewhere, 'records.ndjson'), 'utf8')).toBe('keep me')
    expect(existsSync(join(elsewhere, 'run.ndjson'))).toBe(true)
  })

  test('a session folder of another user: refused, not ingested, not removed', async (context) => {
    if (process.getuid?.() !== 0) context.skip('skipped: giving a folder to another user needs root')
    const project = fixtureProject('reliability-store')
    const planted = plantSession(project, 'dead local process')
    writeFileSync(join(planted.runDir, 'records.ndjson'), '')
    for (const path of [planted.sessionDir, planted.runDir, join(planted.runDir, 'run.ndjson')])
      chownSync(path, 65534, 65534)
    const result = await project.vitest(['--reporter=strikes'], { env: { STORE_REPORT: 'false' } })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(result.stdout + result.stderr).toContain(
      `refused the spool entry ${planted.sessionDir}: it belongs to user 65534, not to you (user 0)`,
    )
    expect(existsSync(planted.runDir)).toBe(true)
    expect(await recordedRuns(project.db)).toEqual(['record.eval.ts'])
  })
})

describe('the writer writes only into what it creates', () => {
  test('a run folder that already exists is refused: the writer never appends to a folder it did not make', () => {
    const project = fixtureProject(undefined)
    const dir = join(project.dir, 'spool', 'session', 'run')
    mkdirSync(dir, { recursive: true })
    expect(() => new SpoolWriter(dir)).toThrow(
      `strikes: cannot create the spool folder ${dir}: it already exists`,
    )
  })

  test('a link planted at a spool file name after the folder was made is not followed: the write fails and the target is untouched', () => {
    const project = fixtureProject(undefined)
    const victim = join(project.dir, 'victim.env')
    writeFileSync(victim, VICTIM_TEXT)
    const dir = join(project.dir, 'spool', 'session', 'run')
    const errors: Error[] = []
    const writer = new SpoolWriter(dir, { onError: (error) => errors.push(error) })
    symlinkSync(victim, join(dir, 'records.ndjson'))
    writer.append('{"t":"s"}')
    writer.close()
    expect(errors[0]?.message).toContain(
      `strikes: could not write to the spool file ${join(dir, 'records.ndjson')}`,
    )
    expect(readFileSync(victim, 'utf8')).toBe(VICTIM_TEXT)
  })
})
