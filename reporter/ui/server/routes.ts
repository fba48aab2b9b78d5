/** The pages of the UI and their addresses: one pattern per page, path parameters decoded. */
import { candidatesPage } from '../pages/candidates-page.js'
import { comparePage } from '../pages/compare-page.js'
import { sessionPage } from '../pages/session-page.js'
import { sessionsPage } from '../pages/sessions-page.js'
import { taskPage } from '../pages/task-page.js'
import { failuresPage, tasksPage } from '../pages/tasks-page.js'
import { BadRequestError } from './http-errors.js'
import type { PageHandler } from './page-context.js'

interface Route {
  readonly pattern: RegExp
  readonly names: readonly string[]
  readonly handler: PageHandler
}

const ROUTES: readonly Route[] = [
  { pattern: /^\/$/, names: [], handler: sessionsPage },
  { pattern: /^\/session\/([^/]+)$/, names: ['session'], handler: sessionPage },
  { pattern: /^\/session\/([^/]+)\/tasks$/, names: ['session'], handler: tasksPage },
  { pattern: /^\/session\/([^/]+)\/failures$/, names: ['session'], handler: failuresPage },
  { pattern: /^\/session\/([^/]+)\/candidates$/, names: ['session'], handler: candidatesPage },
  { pattern: /^\/run\/([^/]+)\/span\/([^/]+)$/, names: ['run', 'span'], handler: taskPage },
  { pattern: /^\/compare$/, names: [], handler: comparePage },
]

/** The page at `path` with its decoded parameters, or `undefined` for an unknown address. */
export function matchRoute(
  path: string,
): { handler: PageHandler; params: Record<string, string> } | undefined {
  for (const route of ROUTES) {
    const match = route.pattern.exec(path)
    if (match === null) continue
    const params: Record<string, string> = {}
    route.names.forEach((name, index) => {
      try {
        params[name] = decodeURIComponent(match[index + 1] ?? '')
      } catch {
        throw new BadRequestError(
          `the address part "${(match[index + 1] ?? '').slice(0, 60)}" is not valid URL encoding`,
        )
      }
    })
    return { handler: route.handler, params }
  }
  return undefined
}
