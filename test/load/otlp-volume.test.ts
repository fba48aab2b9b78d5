/**
 * OTLP at volume (`npm run test:load`): one `map` of 100,000 quick tasks exported to a local receiver that
 * decodes with the official OTLP protobuf definitions arrives whole — every span recorded in DuckDB is
 * received once, with its parent, and the session records none dropped. The figures (wall time, spans)
 * are printed for the README.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'
import { type OtlpReceiver, startOtlpReceiver } from '../otlp/otlp-receiver.js'

const TASKS = 100_000

let receiver: OtlpReceiver
let project: FixtureProject
let wallMs = 0

beforeAll(async () => {
  receiver = await startOtlpReceiver()
  project = fixtureProject('otlp')
  const started = performance.now()
  const result = await project.vitest(['--reporter=strikes', 'burst'], {
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
      OTEL_EXPORTER_OTLP_PROTOCOL: undefined,
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: undefined,
      OTEL_BSP_MAX_QUEUE_SIZE: undefined,
      BURST_TASKS: String(TASKS),
    },
    timeoutMs: 600_000,
  })
  wallMs = performance.now() - started
  if (result.code !== 0) throw new Error(`vitest exited ${result.code}\n${result.stdout}\n${result.stderr}`)
})
afterAll(async () => {
  await receiver?.close()
})

test('a 100,000-task map arrives whole at the collector: same ids, same parents, none dropped', async () => {
  const recorded = await query<{ span_id: string; parent_id: string | null }>(
    project.db,
    'SELECT span_id, parent_id FROM spans',
  )
  expect(recorded).toHaveLength(TASKS + 1)
  expect(receiver.spans).toHaveLength(TASKS + 1)
  const received = new Map(receiver.spans.map((span) => [span.spanId, span.parentSpanId ?? null]))
  let mismatched = 0
  for (const row of recorded) if (received.get(row.span_id) !== row.parent_id) mismatched++
  expect(mismatched).toBe(0)
  const [session] = await query<{ exported: bigint; dropped: bigint }>(
    project.db,
    'SELECT otlp_exported_spans AS exported, otlp_dropped_spans AS dropped FROM sessions',
  )
  expect(session).toEqual({ exported: BigInt(TASKS + 1), dropped: 0n })
  console.info(
    `load figure: ${JSON.stringify({ case: 'otlp 100k', spans: TASKS + 1, requests: receiver.requests.length, wall_ms: Math.round(wallMs) })}`,
  )
})
