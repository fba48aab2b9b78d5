/**
 * Debian's Chromium for the browser tests (the report's and the UI's), started headless through
 * playwright-core with the flags the project runs it with.
 */
import { existsSync } from 'node:fs'
import { type Browser, chromium } from 'playwright-core'

/** Debian's `chromium` package; CI installs it (`apt-get install -y chromium`). */
export const CHROMIUM = '/usr/bin/chromium'

/** Starts headless Chromium (fails clearly when it is not installed). */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: the browser tests need Debian's chromium package (apt-get install -y chromium)`,
    )
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}
