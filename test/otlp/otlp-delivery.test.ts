/**
 * Nothing dropped silently (findings 1 and 5): a burst of 5,000 tasks reaches the collector whole, root
 * included; spans the export could not send (a full queue, a collector that is down or hangs) are counted
 * on the session (`sessions.otlp_dropped_spans`) and printed once; a dead collector is one warning per
 * session and later files do not try it again.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type FixtureProject, fixtureProject, query } from '../helpers/fixture-project.js'
import { type OtlpReceiver, type ReceiverMode, startOtlpReceiver } from './otlp-receiver.js'

const CLEAN_ENV = {
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: undefined,
  OTEL_EXPORTER_OTLP_PROTOCOL: undefined,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: undefined,
  OTEL_EXPORTER_OTLP_TIMEOUT: undefined,
  OTEL_BSP_MAX_QUEUE_SIZE: undefined,
}

interface SessionExport {
  spans: bigint
  otlp_exported_spans: bigint | null
  otlp_dropped_spans: bigint | null
}

async function sessionExport(project: FixtureProject): Promise<SessionExport> {
  const [row] = await query<SessionExport>(
    project.db,
    'SELECT (SELECT count(*) FROM spans) AS spans, otlp_exported_spans, otlp_dropped_spans FROM sessions',
  )
  if (row === undefined) throw new Error('no session recorded')
  return row
}

describe('a burst of 5,000 quick tasks in one map', () => {
  let receiver: OtlpReceiver
  let project: FixtureProject
  let output = ''
  beforeAll(async () => {
    receiver = await startOtlpReceiver()
    project = fixtureProject('otlp')
    const result = await project.vitest(['--reporter=strikes', 'burst'], {
      env: { ...CLEAN_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, BURST_TASKS: '5000' },
    })
    output = result.stdout + result.stderr
    if (result.code !== 0) throw new Error(`vitest exited ${result.code}\n${output}`)
  })
  afterAll(async () => {
    await receiver?.close()
  })

  test('arrives whole: every span recorded in DuckDB reaches the collector once', async () => {
    const recorded = await query<{ span_id: string; parent_id: string | null }>(
      project.db,
      'SELECT span_id, parent_id FROM spans',
    )
    expect(recorded).toHaveLength(5_001)
    const received = new Map(receiver.spans.map((span) => [span.spanId, span.parentSpanId ?? null]))
    expect(receiver.spans).toHaveLength(5_001)
    for (const row of recorded) expect(received.get(row.span_id)).toBe(row.parent_id)
  })

  test('the test span (the root) is among them, so no exported span is an orphan', () => {
    const ids = new Set(receiver.spans.map((span) => span.spanId))
    const roots = receiver.spans.filter((span) => span.parentSpanId === undefined)
    expect(roots.map((span) => span.name)).toEqual(['burst.eval.ts > burst'])
    expect(
      receiver.spans.filter((span) => span.parentSpanId !== undefined && !ids.has(span.parentSpanId)),
    ).toEqual([])
  })

  test('the session records 5,001 spans exported and none dropped, and prints nothing about export', async () => {
    expect(await sessionExport(project)).toEqual({
      spans: 5_001n,
      otlp_exported_spans: 5_001n,
      otlp_dropped_spans: 0n,
    })
    expect(output).not.toContain('not exported over OTLP')
  })
})

describe('an export queue too small for the burst (OTEL_BSP_MAX_QUEUE_SIZE=100)', () => {
  test('drops are counted on the session and printed once, never silent', async () => {
    const receiver = await startOtlpReceiver()
    try {
      const project = fixtureProject('otlp')
      const result = await project.vitest(['--reporter=strikes', 'burst'], {
        env: {
          ...CLEAN_ENV,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_BSP_MAX_QUEUE_SIZE: '100',
          BURST_TASKS: '2000',
        },
      })
      expect(result.code).toBe(0)
      const session = await sessionExport(project)
      expect(session.spans).toBe(2_001n)
      expect(session.otlp_exported_spans).toBe(BigInt(receiver.spans.length))
      expect(session.otlp_dropped_spans).toBe(2_001n - BigInt(receiver.spans.length))
      expect(session.otlp_dropped_spans).toBeGreaterThan(0n)
      const said = result.stdout + result.stderr
      expect(said.match(/spans were not exported over OTLP \(the export queue was full\)/g)).toHaveLength(1)
    } finally {
      await receiver.close()
    }
  })
})

/** Six eval files of a few spans each. */
function sixFiles(): FixtureProject {
  const files: Record<string, string> = {
    'vitest.config.ts': `import { strikes } from 'strikes/plugin'
import { defineConfig } from 'vitest/config'
export default defineConfig({ plugins: [strikes({ project: 'six' })] })
`,
  }
  for (let i = 1; i <= 6; i++) {
    files[`file-${i}.eval.ts`] = `import { evalTask } from 'strikes'
import { expect, test } from 'vitest'
const double = evalTask(async function double(n: number) { return n * 2 })
test('doubles', async () => { expect(await double.map([1, 2, 3])).toEqual([2, 4, 6]) })
`
  }
  return fixtureProject(undefined, files)
}

describe.each<[string, ReceiverMode | 'closed']>([
  ['is down (connection refused)', 'closed'],
  ['accepts requests and never answers', { kind: 'hang' }],
  ['answers 503 to every request', { kind: 'status', status: 503 }],
])('a collector that %s', (_what, mode) => {
  let receiver: OtlpReceiver
  let project: FixtureProject
  let output = ''
  let code: number | null = null
  beforeAll(async () => {
    receiver = await startOtlpReceiver(mode === 'closed' ? { kind: 'ok' } : mode)
    const url = receiver.url
    if (mode === 'closed') await receiver.close()
    project = sixFiles()
    // One worker at a time: the files after the first then show whether they try the collector again.
    const result = await project.vitest(['--reporter=strikes', '--maxWorkers=1'], {
      env: { ...CLEAN_ENV, OTEL_EXPORTER_OTLP_ENDPOINT: url },
    })
    output = result.stdout + result.stderr
    code = result.code
  })
  afterAll(async () => {
    if (mode !== 'closed') await receiver?.close()
  })

  test('fails no run, and DuckDB has every span', async () => {
    expect(code).toBe(0)
    const runs = await query<{ status: string }>(project.db, 'SELECT status FROM runs')
    expect(runs.map((run) => run.status)).toEqual(Array(6).fill('passed'))
    expect((await sessionExport(project)).spans).toBe(24n)
  })

  test('is one warning for the whole session, and one line counting the spans not exported', () => {
    expect(output.match(/strikes: OTLP export to \S+ failed/g)).toHaveLength(1)
    expect(output.match(/24 of 24 spans were not exported over OTLP \(export to \S+ failed\)/g)).toHaveLength(
      1,
    )
  })

  test('the session records every span as dropped', async () => {
    const session = await sessionExport(project)
    expect(session.otlp_dropped_spans).toBe(24n)
    expect(session.otlp_exported_spans).toBe(0n)
  })

  test('files after the first failure do not try the collector again', () => {
    // The first file's export (and the exporter's own retry of it while that worker lives) reaches the
    // collector; the five files after it, each a fresh worker, would add at least one request each.
    if (mode !== 'closed') expect(receiver.attempts).toBeLessThanOrEqual(3)
  })
})
