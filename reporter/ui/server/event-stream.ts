/**
 * Server-sent events to open pages: each page keeps one `/events` connection; when the watcher sees new
 * data it is sent to all of them as a `data` event (`{ token, sessions, runs, latest }`). A comment line
 * every 20 seconds keeps idle connections from being dropped.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** The open event connections. */
export class EventStream {
  readonly #clients = new Set<ServerResponse>()
  readonly #heartbeat: NodeJS.Timeout
  #last: string | undefined

  constructor(heartbeatMs = 20_000) {
    this.#heartbeat = setInterval(() => {
      for (const client of this.#clients) client.write(': ping\n\n')
    }, heartbeatMs)
    this.#heartbeat.unref()
  }

  /** How many pages are listening. */
  get size(): number {
    return this.#clients.size
  }

  /** Takes a request for `/events`: answers with an open event stream, and the last data sent, if any. */
  add(request: IncomingMessage, response: ServerResponse, headers: Readonly<Record<string, string>>): void {
    response.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    })
    response.write('retry: 3000\n\n')
    if (this.#last !== undefined) response.write(this.#last)
    this.#clients.add(response)
    request.on('close', () => this.#clients.delete(response))
  }

  /** Sends `data` (as JSON) to every page as an event named `name`. */
  send(name: string, data: unknown): void {
    const message = `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`
    this.#last = message
    for (const client of this.#clients) client.write(message)
  }

  /** Ends every connection. */
  close(): void {
    clearInterval(this.#heartbeat)
    for (const client of this.#clients) client.end()
    this.#clients.clear()
  }
}
