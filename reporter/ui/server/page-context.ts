/** What a page handler gets (the request's URL, the database lease, the statistics) and what it answers. */

import { loadDataVersion } from '../data/data-version.js'
import type { DatabaseLease, UiDatabase } from '../data/database-lease.js'
import type { Html } from '../html.js'
import { renderPage, type Section } from '../pages/page-layout.js'
import type { UiStatistics } from '../statistics.js'
import { BadRequestError } from './http-errors.js'

/** A request as page handlers see it. */
export interface PageContext {
  readonly url: URL
  /** Path parameters (decoded), e.g. the session id. */
  readonly params: Readonly<Record<string, string>>
  readonly lease: DatabaseLease
  readonly statistics: UiStatistics
  readonly dbPath: string
}

/** A page handler's answer: a page, or a redirect to the canonical address. */
export type PageResponse = { readonly status: number; readonly html: string } | { readonly redirect: string }

/** A page handler. */
export type PageHandler = (context: PageContext) => Promise<PageResponse>

/** What a page renders inside the frame. */
export interface PageContent {
  readonly title: string
  readonly section: Section
  readonly kind: string
  readonly body: Html
}

/** Renders a page with the frame and the data version it was read from. */
export async function pageResponse(
  db: UiDatabase,
  context: PageContext,
  content: PageContent,
): Promise<PageResponse> {
  const version = await loadDataVersion(db)
  return {
    status: 200,
    html: renderPage({ ...content, dbPath: context.dbPath, version: version.token }).toString(),
  }
}

/** A whole number parameter within bounds, or the default when absent; a bad one is a {@link BadRequestError}. */
export function intParam(url: URL, name: string, fallback: number, min: number, max: number): number {
  const text = url.searchParams.get(name)
  if (text === null || text === '') return fallback
  const value = Number(text)
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadRequestError(
      `"${name}" must be a whole number from ${min} to ${max}, not "${text.slice(0, 40)}"`,
    )
  }
  return value
}

/** An optional number parameter (empty = absent); a bad one is a {@link BadRequestError}. */
export function numberParam(url: URL, name: string): number | undefined {
  const text = url.searchParams.get(name)?.trim()
  if (text === undefined || text === '') return undefined
  const value = Number(text)
  if (!Number.isFinite(value))
    throw new BadRequestError(`"${name}" must be a number, not "${text.slice(0, 40)}"`)
  return value
}

/** A text parameter, trimmed; empty = absent. */
export function textParam(url: URL, name: string): string | undefined {
  const text = url.searchParams.get(name)?.trim()
  return text === undefined || text === '' ? undefined : text
}

/** One of the allowed values, or the default; anything else is a {@link BadRequestError}. */
export function choiceParam<T extends string>(url: URL, name: string, allowed: readonly T[], fallback: T): T {
  const text = textParam(url, name)
  if (text === undefined) return fallback
  if (!(allowed as readonly string[]).includes(text)) {
    throw new BadRequestError(`"${name}" must be one of ${allowed.join(', ')}, not "${text.slice(0, 40)}"`)
  }
  return text as T
}
