/**
 * The `strikes ui` web server: Node's own `http`, bound to 127.0.0.1 unless told otherwise, on the port asked
 * for or — when it is 0 or taken — a free one. It answers GET and HEAD only, refuses requests whose `Host` is
 * not the served address, serves the pages (each reading the database read-only through the lease), its
 * stylesheet, script and icon, and `/events` (server-sent events telling open pages that new data landed).
 * Every error becomes a page that says what happened; no stack trace reaches the browser.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { staticAsset } from '../assets/static-assets.js'
import { DatabaseLease } from '../data/database-lease.js'
import { problemFromError, renderProblem } from '../pages/problem-page.js'
import type { UiStatistics } from '../statistics.js'
import { STRIKES_STATISTICS } from '../strikes-statistics.js'
import { ChangeWatcher } from './change-watcher.js'
import { EventStream } from './event-stream.js'
import { NotFoundError } from './http-errors.js'
import type { PageContext } from './page-context.js'
import { previewsFor } from './previews-endpoint.js'
import { allowedHosts, hostAllowed, SECURITY_HEADERS } from './request-guard.js'
import { matchRoute } from './routes.js'

/** The address `strikes ui` serves unless told otherwise. */
export const DEFAULT_UI_HOST = '127.0.0.1'
/** The port `strikes ui` tries first. */
export const DEFAULT_UI_PORT = 4280

/** How to serve. */
export interface UiServerOptions {
  /** The database file (absolute). */
  readonly dbPath: string
  readonly host?: string
  /** 0: any free port. A taken port is replaced by a free one. */
  readonly port?: number
  readonly statistics?: UiStatistics
  /** Where one-line problems are logged (default: nowhere). */
  readonly log?: (line: string) => void
  /** How often the database file is looked at for new data (default 1,000 ms). */
  readonly watchIntervalMs?: number
}

/** A running server. */
export interface UiServer {
  /** `http://127.0.0.1:4280/` */
  readonly url: string
  readonly host: string
  readonly port: number
  /** True when the port asked for was taken and another was chosen. */
  readonly portChanged: boolean
  /** Stops serving and lets go of the database. */
  close(): Promise<void>
}

/** Starts the server; resolves once it listens. */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? DEFAULT_UI_HOST
  const log = options.log ?? (() => undefined)
  const lease = new DatabaseLease({
    path: options.dbPath,
    ...(process.env.STRIKES_UI_TIMINGS === '1'
      ? {
          onQuery: (ms: number, sql: string) =>
            log(`strikes ui: ${ms.toFixed(1)} ms ${sql.replace(/\s+/g, ' ').slice(0, 140)}`),
        }
      : {}),
  })
  const events = new EventStream()
  const statistics = options.statistics ?? STRIKES_STATISTICS
  let allowed = new Set<string>()
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      log(`strikes ui: ${(error as Error).message?.split('\n')[0] ?? String(error)}`)
      if (!response.headersSent)
        send(response, 500, 'text/plain; charset=utf-8', 'strikes ui: internal error\n')
      else response.end()
    })
  })

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!hostAllowed(request.headers.host, allowed)) {
      send(
        response,
        421,
        'text/plain; charset=utf-8',
        `strikes ui answers requests for ${[...allowed][0] ?? host} only; this one named "${(request.headers.host ?? '').slice(0, 100)}".\n`,
      )
      return
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, 'text/plain; charset=utf-8', 'strikes ui is read-only: GET and HEAD only.\n', {
        allow: 'GET, HEAD',
      })
      return
    }
    const url = new URL(request.url ?? '/', 'http://strikes.invalid')
    if (url.pathname === '/events') {
      events.add(request, response, SECURITY_HEADERS)
      return
    }
    const asset = staticAsset(url.pathname)
    if (asset !== undefined) {
      send(
        response,
        200,
        asset.contentType,
        asset.body,
        {
          'cache-control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        },
        request.method === 'HEAD',
      )
      return
    }
    if (url.pathname === '/previews') {
      try {
        const body = JSON.stringify(await previewsFor(url, lease))
        send(response, 200, 'application/json; charset=utf-8', body, { 'cache-control': 'no-store' })
      } catch (error) {
        const problem = problemFromError(error)
        if (problem.log !== undefined) log(`strikes ui: /previews: ${problem.log}`)
        send(
          response,
          problem.status,
          'application/json; charset=utf-8',
          JSON.stringify({ error: problem.message }),
        )
      }
      return
    }
    if (url.pathname === '/favicon.ico') {
      send(response, 204, 'text/plain; charset=utf-8', '')
      return
    }
    let page: { status: number; html: string } | { redirect: string }
    try {
      const route = matchRoute(url.pathname)
      if (route === undefined) throw new NotFoundError(`There is no page at ${url.pathname.slice(0, 200)}.`)
      const context: PageContext = { url, params: route.params, lease, statistics, dbPath: options.dbPath }
      page = await route.handler(context)
    } catch (error) {
      const problem = problemFromError(error)
      if (problem.log !== undefined) log(`strikes ui: ${url.pathname}: ${problem.log}`)
      page = { status: problem.status, html: renderProblem(problem, options.dbPath) }
    }
    if ('redirect' in page) {
      send(response, 302, 'text/plain; charset=utf-8', '', { location: page.redirect })
      return
    }
    send(
      response,
      page.status,
      'text/html; charset=utf-8',
      page.html,
      { 'cache-control': 'no-store' },
      request.method === 'HEAD',
    )
  }

  const watcher = new ChangeWatcher({
    lease,
    listening: () => events.size > 0,
    onChange: (version) => events.send('data', version),
    ...(options.watchIntervalMs === undefined ? {} : { intervalMs: options.watchIntervalMs }),
  })
  const requested = options.port ?? DEFAULT_UI_PORT
  let port: number
  let portChanged = false
  try {
    port = await listen(server, host, requested)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || requested === 0) {
      watcher.stop()
      events.close()
      throw describeListenError(error, host, requested)
    }
    port = await listen(server, host, 0)
    portChanged = true
  }
  allowed = allowedHosts(host, port)
  const shown = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${shown}:${port}/`,
    host,
    port,
    portChanged,
    close: async () => {
      watcher.stop()
      events.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      lease.close()
    },
  }
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening)
      reject(error)
    }
    const onListening = () => {
      server.off('error', onError)
      resolve((server.address() as AddressInfo).port)
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

function describeListenError(error: unknown, host: string, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
    return new Error(
      `strikes ui: cannot serve on ${host}: no such address on this machine (give --host 127.0.0.1 or an address of this machine)`,
    )
  }
  if (code === 'EACCES') {
    return new Error(
      `strikes ui: not allowed to listen on port ${port} (ports below 1024 need privileges; give --port 0 for any free port)`,
    )
  }
  return new Error(`strikes ui: cannot listen on ${host}:${port}: ${(error as Error).message}`)
}

function send(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
  headOnly = false,
): void {
  const bytes = Buffer.from(body, 'utf8')
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': contentType,
    'content-length': String(bytes.length),
    ...headers,
  })
  response.end(headOnly ? undefined : bytes)
}
