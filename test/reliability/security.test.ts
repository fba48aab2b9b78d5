/**
 * Security: hostile text from models and users renders as text in the report (a fuzzed corpus of HTML
 * and Handlebars fragments), `strikes query` cannot change the database, and paths cannot be turned by a
 * symbolic link into a way to overwrite an unrelated file. (Secret-looking environment variables are
 * searched for in `bad-input.test.ts`, over the richest recorded session.)
 */
import { createHash } from 'node:crypto'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  HISTOGRAM_PARTIAL,
  REPORT_TEMPLATE,
  TEXT_PARTIAL,
  VALUES_PARTIAL,
} from '../../reporter/report/report-template.js'
import { renderSessionReport } from '../../reporter/report/session-report.js'
import { openDatabase } from '../../reporter/store/database.js'
import { evalTask, logMetric, logParam, tag, withRun } from '../../src/index.js'
import { runFolders } from '../../src/shared/spool/reader.js'
import { fixtureProject, query, REPO_ROOT, runNode } from '../helpers/fixture-project.js'

function scratch(prefix: string): string {
  mkdirSync(join(REPO_ROOT, 'test/.tmp'), { recursive: true })
  return mkdtempSync(join(REPO_ROOT, `test/.tmp/${prefix}-`))
}

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

/** Pieces of markup an attacker (or a confused model) puts in outputs, names and errors. */
const FRAGMENTS = [
  '<script>alert(1)</script>',
  '</script><script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<a href="javascript:alert(1)">x</a>',
  '<iframe srcdoc="<script>alert(1)</script>">',
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)",
  '`',
  '</pre></details></section>',
  '</style><style>',
  '<!--',
  '-->',
  '<![CDATA[',
  ']]>',
  '{{constructor.constructor("alert(1)")()}}',
  '{{{raw}}}',
  '{{> partial}}',
  '{{#each this}}{{/each}}',
  '{{&amp}}',
  '&lt;script&gt;',
  '&#60;',
  '<',
  '>',
  '&',
  '=',
  '\u2028',
  '\u0000',
]

/** A string made of markup fragments and arbitrary text. */
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 12 })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((parts) => parts.join(''))

/** Element names the report's templates write; any other tag in a page came from data. */
const TEMPLATE_TAGS = new Set(
  [REPORT_TEMPLATE, TEXT_PARTIAL, VALUES_PARTIAL, HISTOGRAM_PARTIAL].flatMap((template) =>
    [...template.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((match) => (match[1] ?? '').toLowerCase()),
  ),
)

/** Tags (and stray `<`) of a page that the templates did not write, and any event-handler attribute. */
function markupFromData(html: string): string[] {
  const found: string[] = []
  for (const match of html.matchAll(/<(\/?)([^\s>/]*)([^>]*)>?/g)) {
    const name = (match[2] ?? '').toLowerCase()
    if (name === '!doctype') continue
    const attributes = [...(match[3] ?? '').matchAll(/\s([^\s"'=<>/]+)(?:="[^"]*")?/g)]
    const handler = attributes.some((attribute) => /^on/i.test(attribute[1] ?? ''))
    if (!TEMPLATE_TAGS.has(name) || handler) found.push(match[0].slice(0, 60))
  }
  return found
}

describe('the report renders hostile output as text', () => {
  test('the check finds markup that data would add (tags not in the templates, event-handler attributes)', () => {
    expect(
      markupFromData('<div class="x"><img src=x onerror=alert(1)><b onclick="go()">&lt;i&gt;</b></div>'),
    ).toEqual(['<img src=x onerror=alert(1)>', '<b onclick="go()">'])
  })

  test('fuzzed HTML and Handlebars fragments in names, labels, tags, params, inputs, outputs, errors and metric names never reach the page as markup', async () => {
    const db = join(scratch('security-report'), 'strikes.duckdb')
    await fc.assert(
      fc.asyncProperty(fc.array(hostileText, { minLength: 4, maxLength: 12 }), async (texts) => {
        const sessionId = await withRun(
          { name: `run ${texts[0] ?? ''}`, project: 'fuzz', db },
          async (run) => {
            logParam('prompt', texts[1])
            tag(...texts.filter((text) => text !== ''))
            for (const [index, text] of texts.entries()) {
              const task = evalTask(
                { name: text || 'empty', label: `hostile_${index}`, tags: [text || 'empty'] },
                async (input: string) => {
                  logMetric(text.slice(0, 1000) || 'empty', index)
                  if (index % 3 === 0) throw new Error(text)
                  return `${input} → ${text}`
                },
              )
              await task.try(text)
            }
            return run.sessionId
          },
        )
        const database = await openDatabase(db, { readOnly: true })
        let html: string
        try {
          html = await renderSessionReport(database, sessionId)
        } finally {
          database.close()
        }
        expect(html).not.toMatch(/<script/i)
        expect(markupFromData(html)).toEqual([])
      }),
      { numRuns: 6 },
    )
  })
})

describe('strikes query opens the database read-only', () => {
  test('every write statement fails with DuckDB’s read-only error, and the file is unchanged', async () => {
    const db = join(scratch('security-query'), 'strikes.duckdb')
    await withRun({ name: 'recorded', project: 'security', db }, async () => {
      await evalTask(async function echo(text: string) {
        return text
      })('kept')
    })
    const before = digest(db)
    const writes = [
      'DELETE FROM runs',
      "UPDATE runs SET name = 'changed'",
      "INSERT INTO sessions (session_id) VALUES ('forged')",
      'DROP TABLE spans',
      'CREATE TABLE planted (a INTEGER)',
      'ALTER TABLE runs ADD COLUMN planted INTEGER',
      'SELECT 1; DELETE FROM runs',
    ]
    const cli = join(REPO_ROOT, 'dist/reporter/cli/main.js')
    const results = await Promise.all(
      writes.map((sql) => runNode([cli, 'query', sql, '--db', db], REPO_ROOT, { timeoutMs: 60_000 })),
    )
    for (const [index, result] of results.entries()) {
      expect(result.code, writes[index]).not.toBe(0)
      expect(result.stderr, writes[index]).toMatch(/read-only/)
    }
    const checkpoint = await runNode([cli, 'query', 'CHECKPOINT', '--db', db], REPO_ROOT, {
      timeoutMs: 60_000,
    })
    expect(checkpoint.stderr).toBe('')
    expect(digest(db)).toBe(before)
    const runs = await query<{ name: string }>(db, 'SELECT name FROM runs')
    expect(runs).toEqual([{ name: 'recorded' }])
  })

  test('a query cannot write or read other files, nor install extensions: external access is off', async () => {
    const dir = scratch('security-external')
    const db = join(dir, 'strikes.duckdb')
    await withRun({ name: 'recorded', project: 'security', db }, async () => {
      await evalTask(async function echo(text: string) {
        return text
      })('kept')
    })
    const planted = join(dir, 'planted.csv')
    const secret = join(dir, 'secret.txt')
    writeFileSync(secret, 'not for the query\n')
    const attempts = [
      `COPY (SELECT * FROM runs) TO '${planted}'`,
      `SELECT * FROM read_text('${secret}')`,
      'INSTALL httpfs',
    ]
    const cli = join(REPO_ROOT, 'dist/reporter/cli/main.js')
    for (const sql of attempts) {
      const result = await runNode([cli, 'query', sql, '--db', db], REPO_ROOT, { timeoutMs: 60_000 })
      expect(result.code, sql).toBe(2)
      expect(result.stdout, sql).not.toContain('not for the query')
    }
    expect(existsSync(planted)).toBe(false)
  })
})

describe('symbolic links cannot turn a strikes path into a way to overwrite an unrelated file', () => {
  test('a symlink at the report path pointing to an unrelated file: the file is unchanged, the link is replaced by the report', async () => {
    const project = fixtureProject('reliability-store')
    const victim = join(project.dir, 'victim.txt')
    writeFileSync(victim, 'precious notes\n')
    const report = join(project.dir, 'out/report.html')
    mkdirSync(join(project.dir, 'out'))
    symlinkSync(victim, report)
    const result = await project.vitest(['--reporter=strikes'], { env: { STORE_REPORT: 'out/report.html' } })
    expect(result.code, result.stdout + result.stderr).toBe(0)
    expect(readFileSync(victim, 'utf8')).toBe('precious notes\n')
    expect(lstatSync(report).isSymbolicLink()).toBe(false)
    expect(readFileSync(report, 'utf8')).toMatch(/^<!doctype html>/i)
  })

  test('a symlink at the database’s write-ahead log: nothing is opened or written, the error says why, the run stays in the spool', async () => {
    const dir = scratch('security-wal')
    const db = join(dir, 'strikes.duckdb')
    await withRun({ name: 'first', project: 'security', db }, async () => {})
    const victim = join(dir, 'victim.txt')
    writeFileSync(victim, 'precious notes\n')
    symlinkSync(victim, `${db}.wal`)
    const before = digest(db)
    let failure: Error | undefined
    try {
      await withRun({ name: 'second', project: 'security', db }, async () => {
        await evalTask(async function echo(text: string) {
          return text
        })('kept')
      })
    } catch (error) {
      failure = error as Error
    }
    expect(failure?.name).toBe('UnsafeDatabasePathError')
    expect(failure?.message).toContain(`strikes: ${db}.wal is a symbolic link (to ${victim})`)
    expect(failure?.message).toContain(`the runs' records are kept in ${db}.spool/`)
    expect(readFileSync(victim, 'utf8')).toBe('precious notes\n')
    expect(digest(db)).toBe(before)
    expect(runFolders(`${db}.spool`).flatMap((session) => runFolders(session))).toHaveLength(1)
  })
})
