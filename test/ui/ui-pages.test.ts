/**
 * `strikes ui` in headless Chromium over a database recorded by the real `vitest` (two sessions of the `ui`
 * fixture) plus an older synthetic session of 6,000 tasks: every page walked — sessions and trend, a session,
 * the task table (filter, sort, search, paging), a task and its span tree, failures, candidates, compare —
 * with the back button, the keyboard, dark mode and the 1280×800 layout; no console error, no dialog, and
 * no request that leaves the server.
 */
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { query } from '../helpers/fixture-project.js'
import { type RecordedUiProject, recordUiProject } from './recorded-ui-project.js'
import {
  expectClean,
  launchBrowser,
  openPage,
  overflowsSideways,
  previewsLoaded,
  screenshot,
} from './ui-browser.js'
import { startUi, type UiProcess } from './ui-process.js'

describe('strikes ui in headless Chromium', () => {
  let recorded: RecordedUiProject
  let ui: UiProcess
  let browser: Browser

  beforeAll(async () => {
    recorded = await recordUiProject()
    ui = await startUi(recorded.db)
    browser = await launchBrowser()
  }, 240_000)

  afterAll(async () => {
    await browser?.close()
    await ui?.stop()
  })

  const at = (path: string) => `${ui.origin}${path}`
  const numbers = (texts: string[]) => texts.map((text) => Number(text.replace(/,/g, '')))

  test('the sessions page lists the sessions newest first with a trend of the keys chosen', async () => {
    const visit = await openPage(browser, at('/'))
    const { page } = visit
    const rows = page.locator('#sessions-list tbody tr')
    expect(await rows.count()).toBe(3)
    expect(await rows.first().locator('td').last().textContent()).toContain('compare with previous')
    expect(await rows.first().getAttribute('data-href')).toBe(`/session/${recorded.second}`)
    expect(await page.locator('svg.chart circle').count()).toBeGreaterThan(0)
    await page.locator('.key-picker summary').click()
    for (const box of await page.locator('.key-picker input[type=checkbox]').all()) await box.uncheck()
    await page.locator('.key-picker input[value="answer.quality"]').check()
    await page.locator('.key-picker button[type=submit]').click()
    await page.waitForURL(/key=answer\.quality/)
    expect(await page.locator('.chart-card h3').allTextContents()).toEqual(['answer.quality'])
    expect(await page.locator('.chart-card svg.chart circle').count()).toBe(2)
    // strikes' statistics give each session's mean its 95% interval, drawn as a whisker.
    expect(await page.locator('.chart-card svg.chart line.whisker').count()).toBe(2)
    await page.goBack()
    await page.waitForURL(at('/'))
    expect(await page.locator('.chart-card').count()).toBe(3)
    expect(await overflowsSideways(page)).toBe(false)
    await screenshot(page, 'sessions')
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('a session page shows its runs, its gate verdicts and metric summaries with histograms', async () => {
    const visit = await openPage(browser, at('/'))
    const { page } = visit
    await page.locator('#sessions-list tbody tr').first().locator('a').first().click()
    await page.waitForURL(at(`/session/${recorded.second}`))
    expect(await page.locator('h1').textContent()).toContain('Session')
    expect(await page.locator('table.rows').first().textContent()).toContain('support.eval.ts')
    const gates = page.locator('table.gates tbody tr')
    expect(await gates.count()).toBe(2)
    expect(await gates.first().textContent()).toContain('answer.quality')
    expect(await page.locator('table.metrics').count()).toBe(2)
    expect(await page.locator('svg.hist rect').count()).toBeGreaterThan(0)
    const quality = page.locator('table.metrics tbody tr', { hasText: 'answer.quality' })
    expect(await quality.locator('td.ci').textContent()).toMatch(/\[-?[\d.]+, -?[\d.]+\]11 inputs/)
    expect(await overflowsSideways(page)).toBe(false)
    await screenshot(page, 'session')
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('the task table filters by label and status and sorts by a metric column; back undoes each step', async () => {
    const visit = await openPage(browser, at(`/session/${recorded.second}/tasks`))
    const { page } = visit
    await previewsLoaded(page)
    expect(await page.locator('#row-counts').textContent()).toContain('47 match')
    await page.locator('select[name=label]').selectOption('answer')
    await page.waitForURL(/label=answer/)
    expect(new Set(await page.locator('table.tasks tbody td:nth-child(3)').allTextContents())).toEqual(
      new Set(['answer']),
    )
    expect(await page.locator('#row-counts').textContent()).toContain('12 match')
    await page.locator('select[name=status]').selectOption('error')
    await page.waitForURL(/status=error/)
    expect(await page.locator('table.tasks tbody tr').count()).toBe(1)
    await page.goBack()
    await page.waitForURL((url) => url.search.includes('label=answer') && !url.search.includes('status='))
    await page.locator('thead th a', { hasText: 'quality' }).click()
    await page.waitForURL(/sort=metric%3Aquality/)
    expect(await page.locator('th[aria-sort=descending]').textContent()).toContain('quality')
    const qualityColumn = await page
      .locator('thead th')
      .evaluateAll((cells) => cells.findIndex((cell) => (cell.textContent ?? '').trim() === 'quality') + 1)
    const values = numbers(
      (await page.locator(`table.tasks tbody td:nth-child(${qualityColumn})`).allTextContents()).filter(
        (text) => text !== '—',
      ),
    )
    expect(values.length).toBe(11)
    expect(values).toEqual([...values].sort((a, b) => b - a))
    await previewsLoaded(page)
    const inputs = await page.locator('table.tasks tbody td.preview').allTextContents()
    expect(inputs.some((text) => text.includes('How do I reset my password?'))).toBe(true)
    expect(await overflowsSideways(page)).toBe(false)
    await screenshot(page, 'tasks')
    await page.goBack()
    await page.waitForURL((url) => url.search === '?label=answer')
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('search finds tasks by words of their inputs, outputs and errors, and hostile text stays text', async () => {
    const visit = await openPage(browser, at(`/session/${recorded.second}/tasks`))
    const { page } = visit
    await page.keyboard.press('/')
    await page.keyboard.type('REFUND for order')
    await page.keyboard.press('Enter')
    await page.waitForURL(/q=REFUND/)
    await previewsLoaded(page)
    const found = await page.locator('table.tasks tbody td.preview').allTextContents()
    expect(found.some((text) => text.includes('Where is my refund for order 1182?'))).toBe(true)
    expect(await page.locator('#active-filters').textContent()).toContain('REFUND for order')
    // Errors are searched too: only the failed call mentions a shipping table.
    await page.goto(at(`/session/${recorded.second}/tasks?q=no+shipping+table`))
    expect(await page.locator('table.tasks tbody tr').count()).toBe(1)
    expect(await page.locator('table.tasks tbody tr').first().textContent()).toContain('error')
    // Markup in a stored value is shown as text, and searchable as typed.
    await page.goto(
      at(`/session/${recorded.second}/tasks?label=answer&q=${encodeURIComponent('<script>alert("x")')}`),
    )
    await previewsLoaded(page)
    expect(await page.locator('table.tasks tbody td.preview').first().textContent()).toContain(
      '<script>alert("x")</script>',
    )
    expect(await page.locator('main script').count()).toBe(0)
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('a large session pages on with the keyboard in sort order, and back returns to the first page', async () => {
    const visit = await openPage(browser, at(`/session/${recorded.synthetic}/tasks?sort=duration`))
    const { page } = visit
    const [{ tasks } = { tasks: 0n }] = await query<{ tasks: bigint }>(
      recorded.db,
      `SELECT count(*) AS tasks FROM spans JOIN runs USING (run_id) WHERE session_id = '${recorded.synthetic}' AND kind = 'task'`,
    )
    expect(Number(tasks)).toBeGreaterThan(recorded.syntheticTasks)
    expect(await page.locator('#row-counts').textContent()).toContain(
      `${Number(tasks).toLocaleString('en-US')} match`,
    )
    const durations = async () =>
      (await page.locator('table.tasks tbody td:nth-child(4)').allTextContents()).map((text) =>
        Number.parseFloat(text),
      )
    const first = await durations()
    const firstIds = await page
      .locator('table.tasks tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span')))
    expect(first).toHaveLength(50)
    await page.keyboard.press('n')
    await page.waitForURL(/after=/)
    const second = await durations()
    const secondIds = await page
      .locator('table.tasks tbody tr')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-span')))
    expect(secondIds.filter((id) => firstIds.includes(id))).toEqual([])
    expect(Math.max(...second)).toBeLessThanOrEqual(Math.min(...first))
    expect(await page.locator('#row-counts').textContent()).toContain('showing 51–100')
    await page.goBack()
    await page.waitForURL((url) => !url.search.includes('after='))
    expect(await durations()).toEqual(first)
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('a task shows its input, output, scores and a span tree whose model call opens on prompt and completion', async () => {
    const visit = await openPage(browser, at(`/session/${recorded.second}/tasks?label=answer&status=ok`))
    const { page } = visit
    await page.locator('table.tasks tbody tr').first().locator('td.name a').click()
    await page.waitForURL(/\/run\/.+\/span\//)
    expect(await page.locator('h1').textContent()).toContain('Answer')
    expect(await page.locator('#values-title + .values').textContent()).toContain(
      'How do I reset my password?',
    )
    expect(await page.locator('table.rows').first().textContent()).toContain('quality')
    const model = page.locator('li.node:not(.root)', { has: page.locator('.kind-model') })
    expect(await page.locator('li.node:not(.root)', { hasText: 'lookup' }).count()).toBe(1)
    expect(await model.locator(':scope > details > .node-body').isVisible()).toBe(false)
    await model.locator(':scope > details > summary').click()
    expect(await model.locator('.model-facts').textContent()).toContain('input tokens')
    expect(await model.locator(':scope > details > .node-body').textContent()).toContain(
      'How do I reset my password?',
    )
    await screenshot(page, 'task')
    await model.getByRole('link', { name: 'Open this model call' }).click()
    await page.waitForURL(/\/span\//)
    expect(await page.locator('h1').textContent()).toContain('Model call')
    expect(await page.locator('#values-title + .values').textContent()).toContain('Here is how')
    expect(await page.locator('.crumbs').textContent()).toContain('Answer')
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('the failures page lists the failed call; its page shows the error and the stack', async () => {
    const visit = await openPage(browser, at(`/session/${recorded.second}/failures`))
    const { page } = visit
    const rows = page.locator('table.tasks tbody tr')
    expect(await rows.count()).toBe(1)
    expect(await rows.first().textContent()).toContain('no shipping table')
    await rows.first().locator('td.name a').click()
    await page.waitForURL(/\/span\//)
    expect(await page.locator('#error-title').isVisible()).toBe(true)
    expect(await page.locator('section.callout').textContent()).toContain('no shipping table for')
    expect(await page.locator('section.callout pre.stack').count()).toBe(1)
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('compare defaults to the latest session against the one before, with inputs side by side by change', async () => {
    const visit = await openPage(browser, at('/compare'))
    const { page } = visit
    expect(page.url()).toBe(at(`/compare?base=${recorded.first}&cand=${recorded.second}`))
    const quality = page.locator('table.compare-keys tbody tr', { hasText: 'answer.quality' })
    expect(await quality.textContent()).toContain('0.7091')
    // The paired comparison of strikes' statistics: an interval, a p-value and a verdict per key.
    expect(await quality.locator('.badge').textContent()).toMatch(
      /^(regressed|improved|no change|insufficient data)$/,
    )
    expect(await page.getByText('appear here when').count()).toBe(0)
    await quality.getByRole('link', { name: 'inputs' }).click()
    await page.waitForURL(/key=answer\.quality/)
    const pairs = page.locator('article.pair')
    expect(await pairs.count()).toBeGreaterThan(0)
    await page.locator('nav.actions a.regressed').click()
    await page.waitForURL(/change=regressed/)
    const regressed = await pairs.count()
    expect(regressed).toBeGreaterThan(0)
    for (const pair of await pairs.all()) {
      expect(await pair.getAttribute('class')).toContain('regressed')
      expect(await pair.textContent()).toMatch(/Baseline: 1[\s\S]*Candidate: 0\.2/)
    }
    await screenshot(page, 'compare')
    await page.goBack()
    await page.waitForURL((url) => !url.search.includes('change='))
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('top candidates are ranked per label and filter to one label', async () => {
    const visit = await openPage(browser, at(`/session/${recorded.second}/candidates`))
    const { page } = visit
    expect(await page.locator('section.group').count()).toBeGreaterThanOrEqual(2)
    await page.locator('select[name=label]').selectOption('answer')
    await page.waitForURL(/label=answer/)
    const groups = page.locator('section.group')
    expect(await groups.count()).toBe(1)
    expect(await groups.first().locator('tbody tr').count()).toBe(5)
    expect(await groups.first().textContent()).toContain('by quality')
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('the keyboard moves through rows, opens one, and shows the shortcuts', async () => {
    const visit = await openPage(browser, at('/'))
    const { page } = visit
    await page.keyboard.press('j')
    await page.keyboard.press('j')
    await page.keyboard.press('k')
    expect(await page.locator('tr.focused').getAttribute('data-href')).toBe(`/session/${recorded.second}`)
    await page.keyboard.press('Enter')
    await page.waitForURL(at(`/session/${recorded.second}`))
    await page.keyboard.press('?')
    expect(await page.locator('dialog#shortcuts').isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await page.keyboard.press('g')
    await page.keyboard.press('c')
    await page.waitForURL(/\/compare/)
    expectClean(visit, ui.origin)
    await page.close()
  })

  test('follows a dark colour scheme', async () => {
    const visit = await openPage(browser, at(`/session/${recorded.second}/tasks`), 'dark')
    const background = await visit.page.evaluate<string>(
      'getComputedStyle(document.documentElement).backgroundColor',
    )
    expect(background).toBe('rgb(13, 17, 23)')
    await previewsLoaded(visit.page)
    await screenshot(visit.page, 'tasks-dark')
    expectClean(visit, ui.origin)
    await visit.page.close()
  })

  test('an unknown session or task is a clear page in the browser, not a stack trace', async () => {
    const visit = await openPage(browser, at('/session/no-such-session'))
    expect(await visit.page.locator('h1').textContent()).toBe('Not found')
    expect(await visit.page.locator('.problem .message').textContent()).toContain(
      'No session "no-such-session"',
    )
    await visit.page.goto(at(`/run/${encodeURIComponent('nope')}/span/abc`))
    expect(await visit.page.locator('.problem .message').textContent()).toContain('No run "nope"')
    expect(await visit.page.content()).not.toMatch(/\bat \S+ \(|\.ts:\d+|node:internal/)
    await visit.page.close()
  })
})
