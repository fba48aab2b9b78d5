/**
 * A session landing while `strikes ui` is open: the real `vitest` records into the database the server
 * reads (the server must not hold the file so long that the writer cannot land), and the open pages learn
 * of it over server-sent events — the sessions list gains the row without a reload, another page shows a
 * banner linking to the new session.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { query } from '../helpers/fixture-project.js'
import { type RecordedUiProject, recordSession, recordUiProject } from './recorded-ui-project.js'
import { expectClean, launchBrowser, openPage } from './ui-browser.js'
import { startUi, type UiProcess } from './ui-process.js'

describe('a new session landing while the UI is open', () => {
  let recorded: RecordedUiProject
  let ui: UiProcess
  let browser: Browser

  beforeAll(async () => {
    recorded = await recordUiProject(200, [0])
    ui = await startUi(recorded.db)
    browser = await launchBrowser()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await ui?.stop()
  })

  test('appears in the open sessions list without a reload, and other pages announce it', async () => {
    const sessions = await openPage(browser, `${ui.origin}/`)
    const other = await openPage(browser, `${ui.origin}/session/${recorded.first}`)
    for (const page of [sessions.page, other.page]) {
      await page.waitForSelector('#live[data-state="open"]')
    }
    expect(await sessions.page.locator('#sessions-list tbody tr').count()).toBe(2)
    // A value set in the page survives only if the page is not reloaded.
    await sessions.page.evaluate('window.strikesTestMarker = 42')

    // Browsing while vitest records: the server lets go of the file between requests, so the writer lands;
    // a request meeting the writer's lock waits, or answers with the page saying the database is being written.
    let recording = true
    const answers: { status: number; locked: boolean }[] = []
    const browsing = (async () => {
      while (recording) {
        const response = await fetch(`${ui.origin}/session/${recorded.first}`)
        const body = await response.text()
        answers.push({ status: response.status, locked: body.includes('The database is being written') })
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    })()
    try {
      await recordSession(recorded.project, 1)
    } finally {
      recording = false
      await browsing
    }
    expect(answers.length).toBeGreaterThan(3)
    for (const answer of answers)
      expect(answer.status === 200 || (answer.status === 503 && answer.locked)).toBe(true)
    const landed = await query<{ session_id: string }>(
      recorded.db,
      "SELECT session_id FROM sessions WHERE session_id NOT IN ('synthetic-0001') ORDER BY started_at DESC LIMIT 1",
    )
    const newest = landed[0]?.session_id ?? ''
    expect(newest).not.toBe(recorded.first)

    // Polled from the test side: a string predicate would be evaluated in the page, which its CSP forbids.
    await expect
      .poll(() => sessions.page.locator('#sessions-list tbody tr').count(), {
        timeout: 30_000,
        interval: 200,
      })
      .toBe(3)
    expect(await sessions.page.evaluate<number>('window.strikesTestMarker')).toBe(42)
    expect(await sessions.page.locator('#sessions-list tbody tr').first().getAttribute('data-href')).toBe(
      `/session/${newest}`,
    )
    expect(await sessions.page.locator('#banner-text').textContent()).toContain(newest.slice(0, 8))

    // The other page shows a banner with a link to the new session.
    await other.page.waitForSelector('#banner:not([hidden])', { timeout: 30_000 })
    expect(await other.page.locator('#banner-link').getAttribute('href')).toBe(`/session/${newest}`)
    await other.page.locator('#banner-link').click()
    await other.page.waitForURL(`${ui.origin}/session/${newest}`)

    expectClean(sessions, ui.origin)
    expectClean(other, ui.origin)
  }, 180_000)
})
