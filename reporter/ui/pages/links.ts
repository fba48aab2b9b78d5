/**
 * The UI's addresses: every page has a stable URL built here (path segments encoded, parameters in a fixed
 * order, empty ones left out), so a page can be bookmarked, shared, and reached again with the back button.
 */

/** Query parameters: absent, empty and `undefined` values are left out; arrays repeat the name. */
export type Params = Readonly<Record<string, string | number | undefined | readonly string[]>>

/** `path?name=value&…` with the parameters in the order given. */
export function withParams(path: string, params: Params = {}): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) continue
    if (Array.isArray(value)) {
      for (const item of value as readonly string[]) if (item !== '') search.append(name, item)
    } else if (value !== '') search.append(name, String(value))
  }
  const text = search.toString()
  return text === '' ? path : `${path}?${text}`
}

const segment = encodeURIComponent

/** The list of sessions (with its trend chart). */
export function sessionsUrl(params: Params = {}): string {
  return withParams('/', params)
}

/** One session. */
export function sessionUrl(sessionId: string): string {
  return `/session/${segment(sessionId)}`
}

/** The tasks (or spans, tests) of a session, filtered and sorted as `params` say. */
export function tasksUrl(sessionId: string, params: Params = {}): string {
  return withParams(`/session/${segment(sessionId)}/tasks`, params)
}

/** The failures of a session. */
export function failuresUrl(sessionId: string, params: Params = {}): string {
  return withParams(`/session/${segment(sessionId)}/failures`, params)
}

/** The top candidates of a session. */
export function candidatesUrl(sessionId: string, params: Params = {}): string {
  return withParams(`/session/${segment(sessionId)}/candidates`, params)
}

/** One task (or span, or test) with its span tree. */
export function spanUrl(runId: string, spanId: string): string {
  return `/run/${segment(runId)}/span/${segment(spanId)}`
}

/** Two sessions compared. */
export function compareUrl(params: Params = {}): string {
  return withParams('/compare', params)
}
