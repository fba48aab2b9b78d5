/**
 * The `strikes ui` server without a browser: the Host check against DNS rebinding, read-only methods, the
 * security headers, the event stream, the port fallback, and every bad input as a clear page — an unknown id,
 * a database locked by a writer, missing, of a newer schema, crafted (a macro shadowing a built-in, a view
 * reading a file), or not DuckDB at all — never a stack trace.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDatabase } from '../../reporter/store/database.js'
import { REPO_ROOT, runSql } from '../helpers/fixture-project.js'
import { writeSyntheticUiSessions } from './synthetic-ui-session.js'
import { rawRequest, startUi, type UiProcess } from './ui-process.js'

const TMP = join(REPO_ROOT, 'test/.tmp')
/** What a stack trace in a page would look like. */
const STACK = /\bat \S+ \(|\.[jt]s:\d+:\d+|node:internal|DuckDBConnection/

async function withUi<T>(db: string, body: (ui: UiProcess) => Promise<T>): Promise<T> {
  const ui = await startUi(db)
  try {
    return await body(ui)
  } finally {
    await ui.stop()
  }
}

/** A page as text: its status and body with the HTML entities the UI writes decoded. */
async function page(ui: UiProcess, path: string): Promise<{ status: number; body: string }> {
  const response = await rawRequest(ui.port, path, { headers: { host: `127.0.0.1:${ui.port}` } })
  const body = response.body
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&#96;', '`')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&')
  return { status: response.status, body }
}

describe('strikes ui server', () => {
  let dir: string
  let db: string

  beforeAll(async () => {
    dir = mkdtempSync(join(TMP, 'ui-server-'))
    db = join(dir, 'strikes.duckdb')
    await writeSyntheticUiSessions(db, [
      { id: 'session-a', tasks: 400, startedAt: new Date('2026-01-01T00:00:00Z') },
      { id: 'session-b', tasks: 400, startedAt: new Date('2026-01-02T00:00:00Z'), qualityShift: -0.2 },
    ])
  })

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  test('refuses a request whose Host is not the served address (DNS rebinding), before reading anything', async () => {
    await withUi(db, async (ui) => {
      for (const host of [
        'evil.example',
        `evil.example:${ui.port}`,
        `127.0.0.1:${ui.port + 1}`,
        `[::1]:${ui.port + 1}`,
      ]) {
        const response = await rawRequest(ui.port, '/', { headers: { host } })
        expect(response.status).toBe(421)
        expect(response.headers['content-type']).toContain('text/plain')
        expect(response.body).not.toContain('session-a')
      }
      // Without a Host header at all, Node's HTTP server refuses the request itself.
      expect((await rawRequest(ui.port, '/')).status).toBe(400)
      for (const host of [`127.0.0.1:${ui.port}`, `localhost:${ui.port}`, `LOCALHOST:${ui.port}`]) {
        expect((await rawRequest(ui.port, '/', { headers: { host } })).status).toBe(200)
      }
    })
  })

  test('answers GET and HEAD only, with a strict Content-Security-Policy and hardening headers', async () => {
    await withUi(db, async (ui) => {
      const host = { host: `127.0.0.1:${ui.port}` }
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const response = await rawRequest(ui.port, '/', { method, headers: host })
        expect(response.status).toBe(405)
        expect(response.headers.allow).toBe('GET, HEAD')
      }
      const head = await rawRequest(ui.port, '/', { method: 'HEAD', headers: host })
      expect(head.status).toBe(200)
      expect(head.body).toBe('')
      const response = await rawRequest(ui.port, '/', { headers: host })
      const csp = String(response.headers['content-security-policy'])
      expect(csp).toContain("default-src 'none'")
      expect(csp).toContain("script-src 'self'")
      expect(csp).toContain("style-src 'self'")
      expect(csp).not.toContain('unsafe-inline')
      expect(csp).not.toContain('unsafe-eval')
      expect(csp).toContain("frame-ancestors 'none'")
      expect(response.headers['x-content-type-options']).toBe('nosniff')
      expect(response.headers['referrer-policy']).toBe('no-referrer')
      expect(response.body).not.toMatch(/<script(?![^>]*\bsrc="\/static\/)[^>]*>/)
      expect(response.body).not.toMatch(/\sstyle="/)
      expect(response.body).not.toMatch(/\son[a-z]+="/)
    })
  })

  test('binds 127.0.0.1 by default and names it in the address it prints', async () => {
    await withUi(db, async (ui) => {
      expect(ui.url).toBe(`http://127.0.0.1:${ui.port}/`)
      expect(ui.output()).toContain('(read-only)')
    })
  })

  test('a port in use is replaced by a free one, and said so', async () => {
    const busy: Server = createServer(() => undefined)
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as { port: number }).port
    try {
      const ui = await startUi(db, ['--port', String(port)])
      try {
        expect(ui.port).not.toBe(port)
        expect(ui.output()).toContain(`port ${port} is in use; serving on ${ui.port} instead`)
      } finally {
        await ui.stop()
      }
    } finally {
      busy.close()
    }
  })

  test('the event stream opens for pages of the served address', async () => {
    await withUi(db, async (ui) => {
      const controller = new AbortController()
      const response = await fetch(`${ui.origin}/events`, { signal: controller.signal })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toContain('text/event-stream')
      controller.abort()
    })
  })

  test('unknown sessions, runs, spans and addresses are 404 pages that say what was not found', async () => {
    await withUi(db, async (ui) => {
      const cases: [string, string][] = [
        ['/session/nope', 'No session "nope"'],
        ['/session/nope/tasks', 'No session "nope"'],
        ['/run/nope/span/x', 'No run "nope"'],
        ['/run/session-a-run-0/span/x', 'No span "x" in run "session-a-run-0"'],
        ['/no/such/page', 'There is no page at /no/such/page'],
      ]
      for (const [path, message] of cases) {
        const response = await page(ui, path)
        expect(response.status).toBe(404)
        expect(response.body).toContain(message)
        expect(response.body).not.toMatch(STACK)
      }
    })
  })

  test('malformed parameters are 400 pages, and a session prefix or `latest` redirects to the session', async () => {
    await withUi(db, async (ui) => {
      for (const path of [
        '/session/session-b/tasks?after=%%%',
        '/session/session-b/tasks?sort=bogus',
        '/?limit=-1',
        '/session/session-b/tasks?min=1',
      ]) {
        const response = await page(ui, path)
        expect(response.status).toBe(400)
        expect(response.body).not.toMatch(STACK)
      }
      const latest = await rawRequest(ui.port, '/session/latest', {
        headers: { host: `127.0.0.1:${ui.port}` },
      })
      expect(latest.status).toBe(302)
      expect(latest.headers.location).toBe('/session/session-b')
      const previews = await rawRequest(ui.port, '/previews?r=a', {
        headers: { host: `127.0.0.1:${ui.port}` },
      })
      expect(previews.status).toBe(400)
      expect(JSON.parse(previews.body)).toEqual({ error: 'give one "r" (run id) for each "s" (span id)' })
    })
  })

  test('a database locked by a writer gives a page that says so and retries, then the data once released', async () => {
    const copy = join(dir, 'locked.duckdb')
    copyFileSync(db, copy)
    await withUi(copy, async (ui) => {
      const writer = await openDatabase(copy)
      try {
        const locked = await page(ui, '/')
        expect(locked.status).toBe(503)
        expect(locked.body).toContain('The database is being written')
        expect(locked.body).toContain('data-retry="3"')
        expect(locked.body).not.toMatch(STACK)
      } finally {
        writer.close()
      }
      const open = await page(ui, '/')
      expect(open.status).toBe(200)
      expect(open.body).toContain('2 sessions recorded')
    })
  })

  test('a database of a newer schema is refused with a page naming the versions', async () => {
    const copy = join(dir, 'newer.duckdb')
    copyFileSync(db, copy)
    await runSql(copy, [
      "INSERT INTO strikes_schema VALUES (99, 'from the future', current_timestamp::TIMESTAMP)",
    ])
    await withUi(copy, async (ui) => {
      const response = await page(ui, '/')
      expect(response.status).toBe(500)
      expect(response.body).toContain('Written by a newer strikes')
      expect(response.body).toContain('schema version 99')
      expect(response.body).not.toMatch(STACK)
    })
  })

  test('a crafted database with a macro shadowing a built-in is refused, and nothing of it runs', async () => {
    const copy = join(dir, 'crafted.duckdb')
    copyFileSync(db, copy)
    await runSql(copy, [
      'CREATE MACRO contains(a, b) AS true',
      "CREATE OR REPLACE VIEW metric_summary AS SELECT * FROM read_text('/etc/hostname')",
    ])
    await withUi(copy, async (ui) => {
      const response = await page(ui, '/session/session-b/tasks?q=anything')
      expect(response.status).toBe(500)
      expect(response.body).toContain('This database is not one strikes reads')
      expect(response.body).toContain('contains')
      expect(response.body).not.toContain(hostname())
      expect(response.body).not.toMatch(STACK)
    })
  })

  test('a view of the file reading other files is refused by the one trust rule: pages name it and show no file contents', async () => {
    const copy = join(dir, 'view.duckdb')
    copyFileSync(db, copy)
    const secret = join(dir, 'secret.txt')
    writeFileSync(secret, 'TOKEN-4f2b9c')
    await runSql(copy, [
      `CREATE OR REPLACE VIEW metric_summary AS SELECT run_id, content AS name, 1 AS count, 1.0 AS avg, 1.0 AS min,
        1.0 AS max, 1.0 AS p50, 1.0 AS p95 FROM runs, read_text('${secret}')`,
      `CREATE OR REPLACE VIEW latest_runs AS SELECT *, (SELECT content FROM read_text('${secret}')) AS leak FROM runs`,
    ])
    await withUi(copy, async (ui) => {
      for (const path of ['/', '/session/session-b', '/session/session-b/tasks', '/compare']) {
        const response = await page(ui, path)
        expect(response.status).toBe(500)
        expect(response.body).toContain('This database is not one strikes reads')
        expect(response.body).toContain('metric_summary')
        expect(response.body).not.toContain('TOKEN-4f2b9c')
        expect(response.body).not.toMatch(STACK)
      }
    })
  })

  test('a file that is not DuckDB is a page saying so, and the file is left as it was', async () => {
    const notes = join(dir, 'notes.duckdb')
    writeFileSync(notes, 'hello, not a database')
    await withUi(notes, async (ui) => {
      const response = await page(ui, '/')
      expect(response.status).toBe(500)
      expect(response.body).toContain('not a DuckDB database')
      expect(response.body).not.toMatch(STACK)
    })
    expect(readFileSync(notes, 'utf8')).toBe('hello, not a database')
  })

  test('with no database yet the page says so and retries; once one is written it shows the sessions', async () => {
    const later = join(dir, 'later', 'strikes.duckdb')
    await withUi(later, async (ui) => {
      const missing = await page(ui, '/')
      expect(missing.status).toBe(503)
      expect(missing.body).toContain('No database yet')
      expect(missing.body).toContain('data-retry="5"')
      await writeSyntheticUiSessions(later, [
        { id: 'arrived', tasks: 20, startedAt: new Date('2026-02-01T00:00:00Z') },
      ])
      const found = await page(ui, '/')
      expect(found.status).toBe(200)
      expect(found.body).toContain('1 session recorded')
    })
  })
})
