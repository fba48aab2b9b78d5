/**
 * Stand-in OTLP collectors for the export benchmarks (`otlp-collector.ts`, `otlp-flush-wait.ts`): one that
 * accepts everything (answers 200 with an empty protobuf body), one that accepts connections and never
 * answers, and a port nothing listens on (connection refused), all on 127.0.0.1.
 */
import { createServer as createHttpServer } from 'node:http'
import { type AddressInfo, createServer, type Socket } from 'node:net'

/** The endpoints of the three conditions, and how to stop the servers. */
export interface StandInCollectors {
  /** A collector that accepts every export. */
  readonly up: string
  /** A port nothing listens on. */
  readonly down: string
  /** A server that accepts connections and never answers. */
  readonly hangs: string
  /** Stops the servers and drops the connections left hanging. */
  close(): void
}

/** Starts the stand-in collectors on free ports. */
export async function startStandInCollectors(): Promise<StandInCollectors> {
  const up = createHttpServer((request, response) => {
    request.resume()
    request.on('end', () => response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end())
  })
  await new Promise<void>((resolve) => up.listen(0, '127.0.0.1', resolve))
  const sockets = new Set<Socket>()
  const hanging = createServer((socket) => {
    sockets.add(socket)
    socket.on('data', () => undefined)
  })
  await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve))
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const downPort = (closed.address() as AddressInfo).port
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  return {
    up: `http://127.0.0.1:${(up.address() as AddressInfo).port}`,
    down: `http://127.0.0.1:${downPort}`,
    hangs: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`,
    close() {
      up.close()
      for (const socket of sockets) socket.destroy()
      hanging.close()
    },
  }
}
