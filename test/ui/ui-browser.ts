/**
 * Debian's Chromium driven by playwright-core for the UI's browser tests: one browser per test file, pages
 * that record every request, console error, page error and dialog, so each test can assert that nothing
 * left the server's origin and nothing went wrong in the page.
 */
import { copyFileSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { expect } from 'vitest'
import { REPO_ROOT } from '../helpers/fixture-project.js'

export { launchBrowser } from '../helpers/chromium.js'

const SCREENSHOTS = join(REPO_ROOT, 'test/.tmp/ui-screenshots')

/** A page and what it did. */
export interface Visit {
  readonly page: Page
  readonly requests: string[]
  readonly problems: string[]
  readonly dialogs: string[]
}

/** Opens a page at 1280×800 that records its requests, console errors, page errors and dialogs. */
export async function openPage(
  browser: Browser,
  url: string,
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme })
  const visit: Visit = { page, requests: [], problems: [], dialogs: [] }
  page.on('request', (request) => visit.requests.push(request.url()))
  page.on('console', (message) => {
    if (message.type() === 'error') visit.problems.push(`console: ${message.text()}`)
  })
  page.on('pageerror', (error) => visit.problems.push(`page error: ${error.message}`))
  page.on('dialog', (dialog) => {
    visit.dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  await page.goto(url, { waitUntil: 'load' })
  return visit
}

/** Asserts that the page asked only its own server for anything, logged no error and opened no dialog. */
export function expectClean(visit: Visit, origin: string): void {
  expect(visit.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([])
  expect(visit.problems).toEqual([])
  expect(visit.dialogs).toEqual([])
}

/** Waits until the task table's previews are filled in. */
export async function previewsLoaded(page: Page): Promise<void> {
  await page.waitForSelector('body[data-previews="loaded"]', { timeout: 30_000 })
}

/** Saves a screenshot of the viewport under `test/.tmp/ui-screenshots/`; with UPDATE_UI_SCREENSHOTS=1 also as `fixtures/ui-<name>.png`. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `ui-${name}.png`)
  await page.screenshot({ path })
  if (process.env.UPDATE_UI_SCREENSHOTS === '1')
    copyFileSync(path, join(REPO_ROOT, 'fixtures', `ui-${name}.png`))
}

/** Whether the page is wider than the window (the layout should hold at 1280 pixels). */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth > window.innerWidth + 1')
}
