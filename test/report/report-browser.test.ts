import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser } from '../helpers/chromium.js'
import { REPO_ROOT } from '../helpers/fixture-project.js'
import { recordHostileSessions } from './hostile-session.js'

const SCREENSHOTS = join(REPO_ROOT, 'test/.tmp/report-screenshots')

interface PageVisit {
  readonly page: Page
  readonly requests: string[]
  readonly consoleErrors: string[]
  readonly dialogs: string[]
}

describe('the report in headless Chromium', () => {
  let browser: Browser
  let reportUrl: string

  beforeAll(async () => {
    const sessions = await recordHostileSessions(2)
    reportUrl = pathToFileURL(await sessions.render('report.html')).href
    browser = await launchBrowser()
    mkdirSync(SCREENSHOTS, { recursive: true })
  })

  afterAll(async () => {
    await browser?.close()
  })

  async function visit(colorScheme: 'light' | 'dark' = 'light'): Promise<PageVisit> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme })
    const visit: PageVisit = { page, requests: [], consoleErrors: [], dialogs: [] }
    page.on('request', (request) => visit.requests.push(request.url()))
    page.on('console', (message) => {
      if (message.type() === 'error') visit.consoleErrors.push(message.text())
    })
    page.on('pageerror', (error) => visit.consoleErrors.push(error.message))
    page.on('dialog', (dialog) => {
      visit.dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await page.goto(reportUrl, { waitUntil: 'load' })
    return visit
  }

  test('loads with no console error, no dialog and no request but the file itself', async () => {
    const { page, requests, consoleErrors, dialogs } = await visit()
    expect(requests).toEqual([reportUrl])
    expect(consoleErrors).toEqual([])
    expect(dialogs).toEqual([])
    await page.close()
  })

  test('the failure and the candidates are visible, and hostile data reads as text', async () => {
    const { page } = await visit()
    const failure = page.locator('article.failure').filter({ hasText: 'explode' })
    expect(await failure.isVisible()).toBe(true)
    expect(await failure.locator('.error').textContent()).toContain('<script>alert("error")</script>')
    const candidates = page.locator('table.candidates').first()
    expect(await candidates.isVisible()).toBe(true)
    expect(await page.locator('table.candidates tbody tr').first().isVisible()).toBe(true)
    expect(await page.getByText('{{constructor.constructor("alert(3)")()}}').first().isVisible()).toBe(true)
    expect(await page.locator('script, iframe, img, object, embed').count()).toBe(0)
    // The tests have no DOM typings: what runs in the page is given as source text.
    const handlers = await page.evaluate<string[]>(
      'Array.from(document.querySelectorAll("*")).flatMap((element) => element.getAttributeNames().filter((name) => /^on/i.test(name)))',
    )
    expect(handlers).toEqual([])
    expect(await page.locator('tr.regression .flag').first().isVisible()).toBe(true)
    await page.screenshot({ path: join(SCREENSHOTS, 'report.png'), fullPage: true })
    await page.close()
  })

  test('a collapsed stack trace opens on click and is shown when printed', async () => {
    const { page } = await visit()
    const stack = page.locator('article.failure details.stack').first()
    expect(await stack.locator('pre').isVisible()).toBe(false)
    await stack.locator('summary').click()
    expect(await stack.locator('pre').isVisible()).toBe(true)
    await page.close()
    const printed = await visit()
    await printed.page.emulateMedia({ media: 'print' })
    expect(await printed.page.locator('article.failure details.stack pre').first().isVisible()).toBe(true)
    await printed.page.close()
  })

  test('follows a dark colour scheme', async () => {
    const { page } = await visit('dark')
    const background = await page.evaluate<string>(
      'getComputedStyle(document.documentElement).backgroundColor',
    )
    expect(background).toBe('rgb(13, 17, 23)')
    await page.screenshot({ path: join(SCREENSHOTS, 'report-dark.png'), fullPage: true })
    await page.close()
  })
})
