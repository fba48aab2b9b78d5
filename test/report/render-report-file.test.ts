import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, test } from 'vitest'
import { renderReportFile, SessionNotFoundError } from '../../reporter/report/render-report-file.js'
import { writeSessionReport } from '../../reporter/report/session-report.js'
import { openDatabase } from '../../reporter/store/database.js'
import { resolveOptions } from '../../reporter/vitest/options.js'
import { seedDatabase } from '../gate/seed-database.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { pairedCase } from '../stats/reference-values.js'
import { writeSyntheticSessions } from './synthetic-session.js'

let dir: string
let db: string

beforeAll(async () => {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  dir = mkdtempSync(join(REPO_ROOT, 'test/.tmp/report-file-'))
  db = join(dir, 'strikes.duckdb')
  await writeSyntheticSessions(db, [
    { id: 'aaaa1111-first', tasks: 60, startedAt: new Date('2026-03-01T09:00:00Z') },
    { id: 'bbbb2222-second', tasks: 60, startedAt: new Date('2026-03-02T09:00:00Z'), qualityShift: -0.3 },
    { id: 'bbbb3333-older', tasks: 60, startedAt: new Date('2026-02-01T09:00:00Z') },
  ])
})

function sessionIdIn(html: string): string | undefined {
  return /<dt>Session<\/dt><dd><code>([^<]*)<\/code>/.exec(html)?.[1]
}

describe('renderReportFile (strikes report)', () => {
  test('renders the latest session (the last recorded, whatever its clock said) by default and returns the absolute path it wrote', async () => {
    const out = join(dir, 'latest.html')
    expect(await renderReportFile({ db, out })).toBe(out)
    // Recorded last, though its clock says February.
    expect(sessionIdIn(readFileSync(out, 'utf8'))).toBe('bbbb3333-older')
  })

  test('renders the session given by id, or by a unique prefix of it', async () => {
    const byId = await renderReportFile({ db, out: join(dir, 'first.html'), sessionId: 'aaaa1111-first' })
    expect(sessionIdIn(readFileSync(byId, 'utf8'))).toBe('aaaa1111-first')
    const byPrefix = await renderReportFile({ db, out: join(dir, 'prefix.html'), sessionId: 'aaaa' })
    expect(sessionIdIn(readFileSync(byPrefix, 'utf8'))).toBe('aaaa1111-first')
  })

  test('a session that is not in the database is a clear error naming it and the database', async () => {
    const attempt = renderReportFile({ db, out: join(dir, 'missing.html'), sessionId: 'nope-42' })
    await expect(attempt).rejects.toBeInstanceOf(SessionNotFoundError)
    await expect(attempt).rejects.toThrow(`no session "nope-42" in ${db}`)
    expect(readdirSync(dir)).not.toContain('missing.html')
  })

  test('a prefix matching several sessions is an error listing them', async () => {
    await expect(
      renderReportFile({ db, out: join(dir, 'ambiguous.html'), sessionId: 'bbbb' }),
    ).rejects.toThrow(/"bbbb" matches several sessions .*bbbb2222-second, bbbb3333-older/)
  })

  test('a database without sessions, or no database at all, is a clear error', async () => {
    const empty = join(dir, 'empty.duckdb')
    ;(await openDatabase(empty)).close()
    await expect(renderReportFile({ db: empty, out: join(dir, 'empty.html') })).rejects.toThrow(
      `${empty} holds no session yet`,
    )
    await expect(
      renderReportFile({ db: join(dir, 'absent.duckdb'), out: join(dir, 'absent.html') }),
    ).rejects.toThrow(/no database at .*absent\.duckdb/)
  })

  test('the previous session of the same file is the one compared with, and a drop in avg is a regression', async () => {
    const html = readFileSync(
      await renderReportFile({ db, out: join(dir, 'compare.html'), sessionId: 'bbbb2222-second' }),
      'utf8',
    )
    // The session recorded before it is `aaaa1111-first`.
    expect(html).toContain('compared with session aaaa1111 (2026-03-01 09:00:01 UTC)')
    expect(html).toMatch(/<tr class="regression"><th scope="row"><code>summarize\.quality<\/code>/)
    expect(html).toContain('<span class="flag">regression</span>')
    const first = readFileSync(
      await renderReportFile({ db, out: join(dir, 'first-compared.html'), sessionId: 'aaaa1111-first' }),
      'utf8',
    )
    expect(first).toContain('no earlier session of this file to compare with')
    expect(first).not.toContain('class="regression"')
    // Recorded after `bbbb2222-second`, whatever its clock says: that is the session it is compared with.
    const older = readFileSync(
      await renderReportFile({ db, out: join(dir, 'older.html'), sessionId: 'bbbb3333-older' }),
      'utf8',
    )
    expect(older).toContain('compared with session bbbb2222 (2026-03-02 09:00:01 UTC)')
  })

  test('thresholds that bound a key from above make a rise, not a drop, the regression', async () => {
    const html = readFileSync(
      await renderReportFile({
        db,
        out: join(dir, 'lower-better.html'),
        sessionId: 'bbbb2222-second',
        options: { thresholds: { 'summarize.quality': ['avg <= 0.9'] } },
      }),
      'utf8',
    )
    expect(html).not.toMatch(/<tr class="regression"><th scope="row"><code>summarize\.quality<\/code>/)
    expect(html).toMatch(/<code>summarize\.quality<\/code>.*improvement \(lower is better\)/)
  })
})

describe('intervals and the "Compared with" section', () => {
  const regressed = pairedCase('n=40 noise=0.1 shift=-0.1')
  let html: string
  beforeAll(async () => {
    const points = (side: 'baseline' | 'candidate') =>
      regressed[side].map((value, index) => ({
        input: `in-${index}`,
        value,
        inputText: `question <${index}>`,
        output: `${side} answer ${index}: ${'long text '.repeat(index === 0 ? 100 : 1)}<script>alert(1)</script>`,
      }))
    const path = await seedDatabase([
      { id: 'base-1', runs: [{ name: 'a.eval.ts', points: { 'a.quality': points('baseline') } }] },
      {
        id: 'cand-2',
        runs: [
          { name: 'a.eval.ts', points: { 'a.quality': points('candidate'), 'a.cost_usd': [{ value: 1 }] } },
        ],
      },
    ])
    html = readFileSync(await renderReportFile({ db: path, out: join(dir, 'comparison.html') }), 'utf8')
  })

  test('every mean has its 95% interval beside it, with the inputs it rests on', () => {
    const row = /<th scope="row"><code>a\.quality<\/code><\/th>(.*?)<\/tr>/.exec(html)?.[1] ?? ''
    expect(row).toMatch(/<td class="num ci">\[0\.\d+, 0\.\d+\]<div class="note">40 inputs<\/div><\/td>/)
  })

  test('per key: both means, the difference with its interval, p, MDE and the verdict', () => {
    expect(html).toContain('<h3>Compared with session base-1 (2026-01-01 12:00:01 UTC)</h3>')
    const row =
      /<table class="metrics comparison">.*?<tr class="regression"><th scope="row"><code>a\.quality<\/code><\/th>(.*?)<\/tr>/s.exec(
        html,
      )?.[1] ?? ''
    expect(row).toContain('<td class="num">40</td>')
    expect(row).toMatch(/<td class="num">−0\.05685 \[−0\.09\d+, −0\.01\d+\]<\/td>/)
    expect(row).toContain(`<td class="num">${regressed.p_two_sided.toFixed(4)}</td>`)
    expect(row).toContain(
      '<span class="delta regression">regressed</span> <span class="note">paired t</span>',
    )
  })

  test('the most regressed and most improved inputs come with both outputs side by side, escaped and bounded', () => {
    const section = html.slice(
      html.indexOf('<table class="changed">'),
      html.indexOf('</table>', html.indexOf('<table class="changed">')),
    )
    expect((section.match(/<tr class="regression">/g) ?? []).length).toBe(3)
    expect((section.match(/<tr class="improvement">/g) ?? []).length).toBe(3)
    expect(section).toContain('baseline answer')
    expect(section).toContain('candidate answer')
    expect(section).toContain('question &lt;')
    expect(section).not.toContain('<script>')
    expect(html).toContain(
      '<h4><code>a.quality</code> <span class="muted">3 most regressed, 3 most improved inputs</span></h4>',
    )
  })

  test('a key only the candidate recorded is listed as insufficient data, with why', () => {
    expect(html).toMatch(
      /<code>a\.cost_usd<\/code>.*insufficient data.*only in the candidate: the baseline did not record this key/s,
    )
  })
})

test('a session that recorded no runs renders a page that says so', async () => {
  const path = join(dir, 'runless.duckdb')
  const database = await openDatabase(path)
  try {
    await database.run(
      `INSERT INTO sessions (session_id, started_at, ended_at, status, gate_passed, strikes_version, vitest_version, git_sha, root) VALUES ('runless', make_timestamp(1767261600000000), NULL, 'interrupted', NULL, '0.1.0', '4.1.12', NULL, '/x')`,
    )
  } finally {
    database.close()
  }
  const html = readFileSync(await renderReportFile({ db: path, out: join(dir, 'runless.html') }), 'utf8')
  expect(html).toContain('This session recorded no runs.')
  expect(html).toContain('<span class="badge crashed">interrupted</span>')
})

describe('writing the report file', () => {
  test('an unwritable path is one error naming the path, and nothing is left behind', async () => {
    const blocker = join(dir, 'not-a-folder')
    writeFileSync(blocker, 'a file where a folder should be')
    const out = join(blocker, 'report.html')
    await expect(renderReportFile({ db, out })).rejects.toThrow(`strikes: cannot write the report to ${out}`)
    const database = await openDatabase(db, { readOnly: true })
    try {
      await expect(
        writeSessionReport(database, { sessionId: 'aaaa1111-first', options: resolveOptions({}), path: out }),
      ).rejects.toThrow(`cannot write the report to ${out}`)
    } finally {
      database.close()
    }
  })

  test('a symlink at the destination is refused: never followed, never replaced', async () => {
    const folder = mkdtempSync(join(dir, 'symlink-'))
    const victim = join(folder, 'victim.txt')
    writeFileSync(victim, 'precious')
    const out = join(folder, 'report.html')
    symlinkSync(victim, out)
    await expect(renderReportFile({ db, out })).rejects.toThrow(
      `cannot write the report to ${out} (it is a symbolic link;`,
    )
    expect(readFileSync(victim, 'utf8')).toBe('precious')
    expect(lstatSync(out).isSymbolicLink()).toBe(true)
    expect(readdirSync(folder).sort()).toEqual(['report.html', 'victim.txt'])
  })

  test('rewriting replaces the previous report whole, leaving no temporary file', async () => {
    const folder = mkdtempSync(join(dir, 'rewrite-'))
    const out = join(folder, 'report.html')
    writeFileSync(out, 'old report')
    await renderReportFile({ db, out, sessionId: 'aaaa1111-first' })
    await renderReportFile({ db, out, sessionId: 'bbbb2222-second' })
    expect(sessionIdIn(readFileSync(out, 'utf8'))).toBe('bbbb2222-second')
    expect(readdirSync(folder)).toEqual(['report.html'])
  })
})

describe('writeSessionReport (end of a session)', () => {
  test('writes nothing when the report option is false', async () => {
    const database = await openDatabase(db, { readOnly: true })
    try {
      const path = join(dir, 'disabled.html')
      const written = await writeSessionReport(database, {
        sessionId: 'aaaa1111-first',
        options: resolveOptions({ report: false }),
        path,
      })
      expect(written).toBeUndefined()
      expect(readdirSync(dir)).not.toContain('disabled.html')
    } finally {
      database.close()
    }
  })

  test('the gate result the reporter passes is shown even before the session row records it', async () => {
    const database = await openDatabase(db, { readOnly: true })
    try {
      const path = await writeSessionReport(database, {
        sessionId: 'aaaa1111-first',
        options: resolveOptions({ topN: 2 }),
        path: join(dir, 'gate.html'),
        session: { gatePassed: true, status: 'passed' },
      })
      const html = readFileSync(path as string, 'utf8')
      expect(html).toContain('<span class="badge passed">gate: passed</span>')
      expect(html.match(/<td class="rank">/g)).toHaveLength(4 * 3 * 2)
    } finally {
      database.close()
    }
  })
})
